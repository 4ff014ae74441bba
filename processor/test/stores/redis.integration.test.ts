import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { test, type TestContext } from 'node:test'
import { ErrorCode, type CacheContentData, type CreateSessionData } from '@streaming/contracts'
import { Redis } from 'ioredis'
import { servers } from '../../../test/helpers/servers.ts'
import { OperationError } from '../../src/errors.ts'
import { createRedisStore } from '../../src/stores/redis.ts'
import { keysByPrefix, redisStore, sessionRequest } from '../helpers/redis-context.ts'

// Content here lives 2 min rather than the default hour.
const setup = (t: TestContext, ttl: { sessionTtlSeconds?: number } = {}) =>
  redisStore(t, { contentTtlSeconds: 120, ...ttl })

const sessionData = (overrides: Partial<CreateSessionData> = {}) =>
  sessionRequest('Smart TV', 'Recife', overrides)

const contentData = (overrides: Partial<CacheContentData> = {}): CacheContentData => ({
  conteudo_id: 'c-1',
  titulo: 'O Auto da Compadecida',
  tipo: 'filme',
  categoria: 'Comédia',
  descricao: 'João Grilo e Chicó em Taperoá.',
  duracao_minutos: 104,
  ano_lancamento: 2000,
  classificacao: '10',
  avaliacao: 8.7,
  ...overrides
})

const t0 = new Date('2026-11-24T10:00:00.000Z')
const later = (date: Date, ms: number) => new Date(date.getTime() + ms)

test('create writes the session hash with its expiry and indexes it under the user', async (t) => {
  const { redis, store } = await setup(t)
  const data = sessionData()

  const { created, session } = await store.sessions.create(data, t0)

  assert.equal(created, true)
  assert.deepEqual(session, {
    session_id: data.session_id,
    user_id: 4242,
    dispositivo: 'Smart TV',
    localizacao: 'Recife',
    inicio: t0.toISOString(),
    ultima_atividade: t0.toISOString(),
    status: 'ativa'
  })
  const key = store.keys.session(data.session_id)
  assert.deepEqual(await redis.hgetall(key), {
    session_id: data.session_id,
    user_id: '4242',
    dispositivo: 'Smart TV',
    localizacao: 'Recife',
    inicio: t0.toISOString(),
    ultima_atividade: t0.toISOString(),
    status: 'ativa'
  })
  const ttl = await redis.ttl(key)
  assert.ok(ttl > 1_790 && ttl <= 1_800, `session TTL ${ttl}`)
  const index = store.keys.userSessions(4242)
  assert.equal(await redis.zscore(index, data.session_id), String(t0.getTime()))
  assert.ok((await redis.ttl(index)) > 1_790, 'the index expires too, not before its sessions')
})

test('create of an existing id changes nothing and says so', async (t) => {
  const { redis, store } = await setup(t)
  const data = sessionData()
  await store.sessions.create(data, t0)
  await store.sessions.end(data.session_id, later(t0, 1_000))

  const again = await store.sessions.create(data, later(t0, 5_000))

  assert.equal(again.created, false)
  assert.equal(again.session.inicio, t0.toISOString(), 'first creation kept')
  assert.equal(again.session.status, 'encerrada', 'an ended session is not revived')
  assert.equal(await redis.zcard(store.keys.userSessions(4242)), 1)
})

test('touch records the activity and renews the expiry and the index score', async (t) => {
  const { redis, store } = await setup(t)
  const data = sessionData()
  await store.sessions.create(data, t0)
  const key = store.keys.session(data.session_id)
  await redis.expire(key, 30) // as if most of the TTL had passed

  const touchedAt = later(t0, 60_000)
  const session = await store.sessions.touch(data.session_id, touchedAt)

  assert.equal(session?.ultima_atividade, touchedAt.toISOString())
  assert.equal(session?.inicio, t0.toISOString())
  assert.equal(await redis.hget(key, 'ultima_atividade'), touchedAt.toISOString())
  assert.ok((await redis.ttl(key)) > 1_790, 'expiry renewed')
  assert.equal(
    await redis.zscore(store.keys.userSessions(4242), data.session_id),
    String(touchedAt.getTime())
  )
})

test('touch of an unknown session answers null and writes nothing', async (t) => {
  const { redis, store, keyPrefix } = await setup(t)
  const sessionId = randomUUID()

  assert.equal(await store.sessions.touch(sessionId, t0), null)
  assert.equal(await store.sessions.end(sessionId, t0), null)
  assert.deepEqual(await keysByPrefix(redis, keyPrefix), [])
})

test('an ended session is kept, listed only with activeOnly=false, and cannot be touched', async (t) => {
  const { redis, store } = await setup(t)
  const ended = sessionData()
  const active = sessionData()
  await store.sessions.create(ended, t0)
  await store.sessions.create(active, t0)
  const endedAt = later(t0, 10_000)

  const session = await store.sessions.end(ended.session_id, endedAt)

  assert.equal(session?.status, 'encerrada')
  assert.equal(session?.encerrada_em, endedAt.toISOString())
  assert.equal(await redis.hget(store.keys.session(ended.session_id), 'status'), 'encerrada')
  const now = later(t0, 20_000)
  const activeIds = (await store.sessions.listByUser(4242, true, now)).map((s) => s.session_id)
  assert.deepEqual(activeIds, [active.session_id])
  const all = await store.sessions.listByUser(4242, false, now)
  assert.deepEqual(
    all.map((s) => [s.session_id, s.status]).sort(),
    [
      [active.session_id, 'ativa'],
      [ended.session_id, 'encerrada']
    ].sort()
  )

  const touched = await store.sessions.touch(ended.session_id, later(t0, 30_000))
  assert.equal(touched?.status, 'encerrada')
  assert.equal(touched?.ultima_atividade, t0.toISOString(), 'an ended session records no activity')
  const endedAgain = await store.sessions.end(ended.session_id, later(t0, 40_000))
  assert.equal(endedAgain?.encerrada_em, endedAt.toISOString(), 'ending twice keeps the first end')
})

test('listing is per user, newest activity first', async (t) => {
  const { store } = await setup(t)
  const older = sessionData()
  const newer = sessionData()
  const someoneElse = sessionData({ user_id: 777 })
  await store.sessions.create(older, t0)
  await store.sessions.create(newer, later(t0, 1_000))
  await store.sessions.create(someoneElse, t0)

  const now = later(t0, 5_000)
  const before = await store.sessions.listByUser(4242, true, now)
  assert.deepEqual(
    before.map((s) => s.session_id),
    [newer.session_id, older.session_id]
  )
  await store.sessions.touch(older.session_id, later(t0, 2_000))
  const after = await store.sessions.listByUser(4242, true, now)
  assert.deepEqual(
    after.map((s) => s.session_id),
    [older.session_id, newer.session_id]
  )
  assert.equal(typeof after[0]?.user_id, 'number')
})

test('an expired session is neither listed nor touchable, and leaves the index', async (t) => {
  const { redis, store } = await setup(t, { sessionTtlSeconds: 1 })
  const data = sessionData()
  await store.sessions.create(data, new Date())

  await sleep(1_200)

  assert.deepEqual(await store.sessions.listByUser(4242, false, new Date()), [])
  assert.equal(await redis.zscore(store.keys.userSessions(4242), data.session_id), null)
  assert.equal(await store.sessions.touch(data.session_id, new Date()), null)
})

test('an index entry whose hash is gone is dropped when listing', async (t) => {
  const { redis, store } = await setup(t)
  const data = sessionData()
  await store.sessions.create(data, t0)
  await redis.del(store.keys.session(data.session_id))

  assert.deepEqual(await store.sessions.listByUser(4242, false, later(t0, 1_000)), [])
  assert.equal(await redis.zscore(store.keys.userSessions(4242), data.session_id), null)
})

test('content is cached with its expiry and read back with its types', async (t) => {
  const { redis, store } = await setup(t)
  const data = contentData()

  const { content, ttlSeconds } = await store.content.put(data, t0)

  assert.equal(ttlSeconds, 120)
  assert.deepEqual(content, { ...data, armazenado_em: t0.toISOString() })
  const key = store.keys.content('c-1')
  assert.deepEqual(await redis.hgetall(key), {
    conteudo_id: 'c-1',
    titulo: 'O Auto da Compadecida',
    tipo: 'filme',
    categoria: 'Comédia',
    descricao: 'João Grilo e Chicó em Taperoá.',
    duracao_minutos: '104',
    ano_lancamento: '2000',
    classificacao: '10',
    avaliacao: '8.7',
    armazenado_em: t0.toISOString()
  })
  const ttl = await redis.ttl(key)
  assert.ok(ttl > 110 && ttl <= 120, `content TTL ${ttl}`)
  assert.deepEqual(await store.content.get('c-1'), { ...data, armazenado_em: t0.toISOString() })
})

test('caching again replaces the content and renews its expiry', async (t) => {
  const { redis, store } = await setup(t)
  await store.content.put(contentData(), t0)
  const key = store.keys.content('c-1')
  await redis.expire(key, 5)

  await store.content.put(contentData({ avaliacao: 9.1 }), later(t0, 1_000))

  assert.equal((await store.content.get('c-1'))?.avaliacao, 9.1)
  assert.ok((await redis.ttl(key)) > 110)
})

test('every lookup counts as a hit or a miss', async (t) => {
  const { redis, store } = await setup(t)
  await store.content.put(contentData(), t0)

  assert.equal(await store.content.get('c-2'), null)
  assert.notEqual(await store.content.get('c-1'), null)
  assert.notEqual(await store.content.get('c-1'), null)

  assert.equal(await redis.get(store.keys.hits), '2')
  assert.equal(await redis.get(store.keys.misses), '1')
  assert.deepEqual(await store.content.stats(), { hits: 2, misses: 1 })
})

test('a lost connection becomes a retryable error naming Redis', async (t) => {
  const redis = new Redis(servers.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null
  })
  await redis.connect()
  redis.disconnect()
  const store = createRedisStore(redis, { sessionTtlSeconds: 60, contentTtlSeconds: 60 })

  await assert.rejects(store.sessions.get(randomUUID()), (err) => {
    assert.ok(err instanceof OperationError)
    assert.equal(err.code, ErrorCode.storeUnavailable)
    assert.equal(err.retryable, true)
    assert.match(err.message, /Redis/)
    return true
  })
})
