import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import { ErrorCode } from '@streaming/contracts'
import { defer } from '../../../test/helpers/cleanup.ts'
import { connectRedis, uniqueName } from '../../../test/helpers/servers.ts'
import type { HandlerContext } from '../../src/handlers/types.ts'
import { OperationError } from '../../src/errors.ts'
import { encerrarSessao } from '../../src/handlers/encerrar-sessao.ts'
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

const newSession = () => ({
  user_id: 4242,
  session_id: randomUUID(),
  dispositivo: 'Web' as const,
  localizacao: 'Curitiba'
})

test('encerrar_sessao ends the session: no longer active, still listed among all', async (t) => {
  const { redis, store, ctx, setClock } = await setup(t)
  const start = new Date('2026-11-24T10:00:00.000Z')
  const data = newSession()
  await store.sessions.create(data, start)
  const endedAt = new Date('2026-11-24T10:10:00.000Z')
  setClock(endedAt)

  const result = await encerrarSessao({ session_id: data.session_id }, ctx)

  assert.equal(result.message, `Sessão ${data.session_id} encerrada`)
  assert.equal(result.data.status, 'encerrada')
  assert.equal(result.data.encerrada_em, endedAt.toISOString())
  assert.equal(result.data.user_id, 4242)
  assert.equal(await redis.hget(store.keys.session(data.session_id), 'status'), 'encerrada')
  const now = new Date('2026-11-24T10:11:00.000Z')
  assert.deepEqual(await store.sessions.listByUser(4242, true, now), [])
  const all = await store.sessions.listByUser(4242, false, now)
  assert.deepEqual(
    all.map((s) => [s.session_id, s.status]),
    [[data.session_id, 'encerrada']]
  )
})

test('encerrar_sessao of a session already ended answers the same', async (t) => {
  const { store, ctx, setClock } = await setup(t)
  const data = newSession()
  await store.sessions.create(data, new Date('2026-11-24T10:00:00.000Z'))
  setClock(new Date('2026-11-24T10:10:00.000Z'))
  const first = await encerrarSessao({ session_id: data.session_id }, ctx)

  setClock(new Date('2026-11-24T10:20:00.000Z'))
  const second = await encerrarSessao({ session_id: data.session_id }, ctx)

  assert.deepEqual(second, first)
})

test('encerrar_sessao of an unknown session is an error reply', async (t) => {
  const { ctx } = await setup(t)
  const sessionId = randomUUID()

  await assert.rejects(encerrarSessao({ session_id: sessionId }, ctx), (err) => {
    assert.ok(err instanceof OperationError)
    assert.equal(err.code, ErrorCode.sessionNotFound)
    assert.match(err.message, new RegExp(sessionId))
    return true
  })
})
