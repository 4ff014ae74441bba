import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { obterCacheConteudo } from '../../src/handlers/obter-cache-conteudo.ts'
import { redisContext } from '../helpers/redis-context.ts'

const content = {
  conteudo_id: 'c-1',
  titulo: 'Bacurau',
  tipo: 'filme' as const,
  categoria: 'Suspense',
  descricao: 'Um povoado do sertão some do mapa.',
  duracao_minutos: 131,
  ano_lancamento: 2019,
  classificacao: '16' as const,
  avaliacao: 7.9
}

test('obter_cache_conteudo answers a hit with the content, typed, and counts it', async (t) => {
  const { redis, store, ctx } = await redisContext(t)
  const at = new Date('2026-11-24T10:00:00.000Z')
  await store.content.put(content, at)

  const result = await obterCacheConteudo({ conteudo_id: 'c-1' }, ctx)

  assert.equal(result.message, 'Conteúdo c-1 encontrado no cache')
  const expected = { cache_hit: true, conteudo: { ...content, armazenado_em: at.toISOString() } }
  assert.deepEqual(result.data, expected)
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), expected)
  assert.equal(await redis.get(store.keys.hits), '1')
  assert.equal(await redis.get(store.keys.misses), null)
})

test('obter_cache_conteudo answers a miss as a success and counts it', async (t) => {
  const { redis, store, ctx } = await redisContext(t)

  const result = await obterCacheConteudo({ conteudo_id: 'c-404' }, ctx)

  assert.equal(result.message, 'Conteúdo c-404 não está no cache')
  assert.deepEqual(result.data, { conteudo_id: 'c-404', cache_hit: false })
  assert.equal(await redis.get(store.keys.misses), '1')
  assert.equal(await redis.get(store.keys.hits), null)
})

test('obter_cache_conteudo misses once the content has expired', async (t) => {
  const { store, ctx } = await redisContext(t, { contentTtlSeconds: 1 })
  await store.content.put(content, new Date())
  assert.equal((await obterCacheConteudo({ conteudo_id: 'c-1' }, ctx)).data.cache_hit, true)

  await sleep(1_200)

  assert.equal((await obterCacheConteudo({ conteudo_id: 'c-1' }, ctx)).data.cache_hit, false)
  assert.deepEqual(await store.content.stats(), { hits: 1, misses: 1 })
})
