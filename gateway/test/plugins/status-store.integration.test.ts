// The status store on the real Redis, through the gateway's Redis plugin (its Lua scripts defined
// on the client): a cancellation's four outcomes, decided atomically against the processor's
// claim, and a pending record removed when Kafka did not take its request, never a reply's.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import {
  CANCELLED_MESSAGE,
  ClaimState,
  ENVELOPE_VERSION,
  RedisKey,
  RESPONSE_EVENT_TYPE,
  type ReplyEnvelope
} from '@streaming/contracts'
import Fastify from 'fastify'
import { Redis } from 'ioredis'
import redisPlugin from '../../src/plugins/redis.ts'
import statusStore from '../../src/plugins/status-store.ts'
import { commandRedisOptions, subscriberRedisOptions } from '../../src/redis-options.ts'
import { defer } from '../../../test/helpers/cleanup.ts'
import { servers } from '../../../test/helpers/servers.ts'

async function startStore(t: TestContext) {
  const app = Fastify()
  await app.register(redisPlugin, {
    client: new Redis(servers.redisUrl, commandRedisOptions),
    subscriber: new Redis(servers.redisUrl, subscriberRedisOptions)
  })
  await app.register(statusStore, { retentionSeconds: 60 })
  await app.ready()
  defer(t, () => app.close())
  const ids: string[] = []
  defer(t, () =>
    ids.length > 0
      ? app.redis.del(...ids.flatMap((id) => [RedisKey.status(id), RedisKey.claim(id)]))
      : undefined
  )
  const newId = () => {
    const id = randomUUID()
    ids.push(id)
    return id
  }
  return { app, store: app.statusStore, newId }
}

const replyTo = (correlationId: string): ReplyEnvelope => ({
  event_id: randomUUID(),
  correlation_id: correlationId,
  timestamp: new Date().toISOString(),
  version: ENVELOPE_VERSION,
  event_type: RESPONSE_EVENT_TYPE,
  source: 'processor',
  target: 'gateway',
  original_event_type: 'criar_usuario',
  request_event_id: randomUUID(),
  status: 'success',
  message: 'Usuário criado',
  data: { user_id: 1 },
  duration_ms: 2
})

test('a cancellation: unknown, cancelled (waiters told), started, finished', async (t) => {
  const { app, store, newId } = await startStore(t)

  assert.deepEqual(await store.cancel(newId()), { outcome: 'unknown' })

  const pending = newId()
  await store.markPending(pending, 'criar_usuario', new Date().toISOString())
  const waiting = store.waitForTerminal(pending, 5_000)
  const cancelled = await store.cancel(pending)
  assert.ok(cancelled.outcome === 'cancelled', cancelled.outcome)
  assert.equal(cancelled.record.status, 'cancelled')
  assert.equal(cancelled.record.message, CANCELLED_MESSAGE)
  assert.ok(cancelled.record.completed_at, 'completed now')
  assert.equal(await app.redis.get(RedisKey.claim(pending)), ClaimState.cancelled, 'claimed')
  assert.equal((await waiting)?.status, 'cancelled', 'the waiter heard it')
  assert.equal((await store.cancel(pending)).outcome, 'finished', 'cancelled once')

  const claimed = newId()
  await store.markPending(claimed, 'criar_usuario', new Date().toISOString())
  await app.redis.set(RedisKey.claim(claimed), ClaimState.processing)
  const started = await store.cancel(claimed)
  assert.equal(started.outcome, 'started')
  assert.equal((await store.get(claimed))?.status, 'pending', 'left to the processor')

  const replied = newId()
  await store.markPending(replied, 'criar_usuario', new Date().toISOString())
  await store.recordReplies([replyTo(replied)])
  const finished = await store.cancel(replied)
  assert.ok(finished.outcome === 'finished', finished.outcome)
  assert.equal(finished.record.status, 'success')
})

test('forgetting a pending record removes it, never a reply recorded meanwhile', async (t) => {
  const { store, newId } = await startStore(t)
  const refused = newId()
  await store.markPending(refused, 'criar_usuario', new Date().toISOString())
  await store.forgetPending(refused)
  assert.equal(await store.get(refused), undefined)

  const raced = newId()
  await store.markPending(raced, 'criar_usuario', new Date().toISOString())
  await store.recordReplies([replyTo(raced)])
  await store.forgetPending(raced)
  assert.equal((await store.get(raced))?.status, 'success')
})
