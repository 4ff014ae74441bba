import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import { defer } from '../../../test/helpers/cleanup.ts'
import { connectRedis, uniqueName } from '../../../test/helpers/servers.ts'
import type { HandlerContext } from '../../src/handlers/types.ts'
import { cacheConteudo } from '../../src/handlers/cache-conteudo.ts'
import { createRedisStore } from '../../src/stores/redis.ts'

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

async function setup(
  t: TestContext,
  ttl: { sessionTtlSeconds?: number; contentTtlSeconds?: number } = {}
) {
  const redis = await connectRedis(t)
  const keyPrefix = `${uniqueName('test')}:`
  defer(t, () => deleteByPrefix(redis, keyPrefix))
  const store = createRedisStore(redis, {
    sessionTtlSeconds: 1_800,
    contentTtlSeconds: 3_600,
    ...ttl,
    keyPrefix
  })
  let clock = new Date()
  const ctx: HandlerContext = {
    postgres: {} as never,
    mongodb: {} as never,
    redis: store,
    log: pino({ level: 'silent' }),
    now: () => clock,
    eventId: randomUUID()
  }
  const setClock = (date: Date) => {
    clock = date
  }
  return { redis, store, ctx, setClock }
}

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
  const { redis, store, ctx, setClock } = await setup(t, { contentTtlSeconds: 600 })
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
  const { redis, store, ctx } = await setup(t)

  await cacheConteudo(content, ctx)

  const ttl = await redis.ttl(store.keys.content('c-77'))
  assert.ok(ttl > 3_590 && ttl <= 3_600, `content TTL ${ttl}`)
})
