import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cacheConteudo } from '../../src/handlers/cache-conteudo.ts'
import { redisContext } from '../helpers/redis-context.ts'

const content = {
  conteudo_id: 'c-77',
  titulo: 'Cidade de Deus',
  tipo: 'filme' as const,
  categoria: 'Drama',
  descricao: 'Buscapé cresce na Cidade de Deus.',
  duracao_minutos: 130,
  ano_lancamento: 2002,
  classificacao: '16' as const,
  avaliacao: 8.6
}

test('cache_conteudo stores the content hash with the configured expiry', async (t) => {
  const { redis, store, ctx, setClock } = await redisContext(t, { contentTtlSeconds: 600 })
  const at = new Date('2026-11-24T10:00:00.000Z')
  setClock(at)

  const result = await cacheConteudo(content, ctx)

  assert.equal(result.message, 'Conteúdo c-77 armazenado no cache por 600 s')
  const expected = { conteudo: { ...content, armazenado_em: at.toISOString() }, ttl_segundos: 600 }
  assert.deepEqual(result.data, expected)
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), expected)
  const key = store.keys.content('c-77')
  assert.deepEqual(await redis.hgetall(key), {
    conteudo_id: 'c-77',
    titulo: 'Cidade de Deus',
    tipo: 'filme',
    categoria: 'Drama',
    descricao: 'Buscapé cresce na Cidade de Deus.',
    duracao_minutos: '130',
    ano_lancamento: '2002',
    classificacao: '16',
    avaliacao: '8.6',
    armazenado_em: at.toISOString()
  })
  const ttl = await redis.ttl(key)
  assert.ok(ttl > 590 && ttl <= 600, `content TTL ${ttl}`)
})

test('cache_conteudo defaults to one hour', async (t) => {
  const { redis, store, ctx } = await redisContext(t)

  await cacheConteudo(content, ctx)

  const ttl = await redis.ttl(store.keys.content('c-77'))
  assert.ok(ttl > 3_590 && ttl <= 3_600, `content TTL ${ttl}`)
})
