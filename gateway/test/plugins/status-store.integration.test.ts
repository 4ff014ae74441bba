// The status store on the real Redis, through the gateway's Redis plugin (its Lua scripts defined
// on the client): a cancellation's four outcomes, decided atomically against the processor's
// claim, and a pending record removed when Kafka did not take its request, never a reply's.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { connect, createServer, type Socket } from 'node:net'
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

test('Redis down at start-up: the store starts, and subscribes once Redis answers', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
  // Nothing listens on `port` yet: the subscriber's first connection is refused.
  const app = Fastify()
  const client = new Redis(servers.redisUrl, commandRedisOptions)
  const subscriber = new Redis(`redis://127.0.0.1:${port}`, {
    ...subscriberRedisOptions,
    retryStrategy: () => 100
  })
  subscriber.on('error', () => {})
  await app.register(redisPlugin, { client, subscriber })
  await app.register(statusStore, { retentionSeconds: 60 })
  await app.ready()
  defer(t, () => app.close())
  assert.equal(subscriber.status === 'ready', false, 'started without Redis')

  // Redis "comes back": a relay on that port to the real server.
  const target = new URL(servers.redisUrl)
  const sockets = new Set<Socket>()
  const relay = createServer((inbound) => {
    const outbound = connect(Number(target.port || 6379), target.hostname)
    for (const socket of [inbound, outbound]) {
      sockets.add(socket)
      socket.on('error', () => {})
    }
    inbound.pipe(outbound).pipe(inbound)
  })
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve))
  defer(t, async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => relay.close(resolve))
  })

  const id = randomUUID()
  defer(t, () => client.del(RedisKey.status(id)))
  await app.statusStore.markPending(id, 'criar_usuario', new Date().toISOString())
  // Until the subscription is back a waiter only hears of a reply through its timeout; poll
  // with short waits, which a reply recorded each time ends early once the channel is heard.
  const deadline = Date.now() + 10_000
  for (;;) {
    assert.ok(Date.now() < deadline, 'the status channel was never subscribed')
    if (subscriber.status === 'ready') {
      const channels = (await client.call('PUBSUB', 'CHANNELS', RedisKey.statusChannel)) as string[]
      if (channels.includes(RedisKey.statusChannel)) break
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const waiting = app.statusStore.waitForTerminal(id, 5_000)
  const started = Date.now()
  await app.statusStore.recordReplies([replyTo(id)])
  assert.equal((await waiting)?.status, 'success')
  assert.ok(Date.now() - started < 2_000, 'the waiter was told, not timed out')
})
