// Kafka stopped and started again under a running gateway and processor. Needs the native stack
// (stack/stack.sh stops and starts the broker); run this file alone: other tests lose Kafka too.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { RedisKey } from '@streaming/contracts'
import type { Redis } from 'ioredis'
import { defer } from '../helpers/cleanup.ts'
import { idempotencyClient } from '../../gateway/src/idempotency/fingerprint.ts'
import type { OperationStatusRecord } from '../../gateway/src/plugins/status-store.ts'
import { succeed, type Accepted } from '../helpers/http.ts'
import { topicSize } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'
import { servers } from '../helpers/servers.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const broker = servers.kafkaBrokers[0] ?? '127.0.0.1:9092'

function stack(...args: string[]): string {
  try {
    return execFileSync('bash', ['stack/stack.sh', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000
    })
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string }
    throw new Error(
      `\`bash stack/stack.sh ${args.join(' ')}\` failed — this test needs the native stack ` +
        `(Kafka started by stack/stack.sh):\n${stdout ?? ''}${stderr ?? ''}`,
      { cause: err }
    )
  }
}

/** True when something accepts TCP connections on the broker's address. */
function brokerListens(): Promise<boolean> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':')
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 2_000 })
    const done = (listening: boolean) => {
      socket.destroy()
      resolve(listening)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

async function statusKeys(redis: Redis): Promise<Set<string>> {
  const keys = new Set<string>()
  let cursor = '0'
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', RedisKey.status('*'), 'COUNT', 1000)
    cursor = next
    for (const key of batch) keys.add(key)
  } while (cursor !== '0')
  return keys
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test(
  'Kafka down: 503 with Retry-After at once, nothing recorded; back up: accepted again',
  {
    timeout: 420_000
  },
  async (t) => {
    const kafkaLine = stack('status')
      .split('\n')
      .find((line) => line.startsWith('kafka '))
    assert.match(
      kafkaLine ?? '',
      /running \(pid \d+\)/,
      `this test needs Kafka run by the native stack (stack/stack.sh status: ${kafkaLine})`
    )

    const { app, kafka, topics, redis } = await startPlatform(t)
    // Connected producers and consumers, committed offsets: the state an outage meets in service.
    await succeed(app, 'POST', '/usuarios', {})
    const publishedBefore = await topicSize(kafka, topics.requests)

    // Registered after the platform, so it runs first: the platform's clean-up needs Kafka.
    defer(t, () => {
      stack('start', 'kafka')
    })
    const stopStarted = performance.now()
    stack('stop', 'kafka')
    assert.equal(
      await brokerListens(),
      false,
      `Kafka still listens on ${broker} after \`stack.sh stop kafka\`: it is not the native stack's`
    )
    t.diagnostic(`kafka stopped in ${Math.round(performance.now() - stopStarted)} ms`)
    const keysBefore = await statusKeys(redis)

    // Every request is refused quickly, not left hanging; the first and later ones alike.
    const idempotencyKey = `queda-${randomUUID()}`
    const latencies: number[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now()
      const response = await app.inject({
        method: 'POST',
        url: '/usuarios',
        headers: { 'idempotency-key': idempotencyKey },
        payload: { nome: 'Kafka Fora' }
      })
      const elapsed = performance.now() - started
      latencies.push(Math.round(elapsed))
      assert.equal(response.statusCode, 503, `attempt ${attempt + 1}: ${response.body}`)
      assert.ok(Number(response.headers['retry-after']) > 0, 'Retry-After')
      assert.equal(response.json<{ code: string }>().code, 'SERVICE_UNAVAILABLE')
      assert.ok(elapsed < 5_000, `attempt ${attempt + 1}: 503 after ${Math.round(elapsed)} ms`)
    }
    t.diagnostic(`503 latencies while Kafka is down: ${latencies.join(', ')} ms`)

    const healthStarted = performance.now()
    const health = await app.inject({ method: 'GET', url: '/health' })
    const healthMs = Math.round(performance.now() - healthStarted)
    t.diagnostic(`GET /health while Kafka is down: ${health.statusCode} in ${healthMs} ms`)
    assert.equal(health.statusCode, 503, health.body)
    const body = health.json<{ failing?: string[]; checks: Record<string, string> }>()
    assert.deepEqual(body.failing, ['kafka'], 'Kafka named, and only Kafka')
    assert.equal(body.checks.redis, 'ok')
    assert.ok(healthMs < 5_000, `/health answered in ${healthMs} ms`)

    // Nothing recorded for the refused requests: no status, the Idempotency-Key free again.
    const keysAfter = await statusKeys(redis)
    const recorded = [...keysAfter].filter((key) => !keysBefore.has(key))
    assert.deepEqual(recorded, [], 'no status recorded while Kafka is down')
    assert.equal(
      await redis.exists(RedisKey.idempotency(idempotencyClient(undefined), idempotencyKey)),
      0,
      'key released'
    )

    const startStarted = performance.now()
    stack('start', 'kafka')
    const restartMs = Math.round(performance.now() - startStarted)
    t.diagnostic(`kafka ready again in ${restartMs} ms`)

    // The clients reconnect by themselves: retry the request for a bounded time.
    const retryStarted = performance.now()
    let accepted: Accepted | undefined
    let refused = 0
    while (!accepted && performance.now() - retryStarted < 60_000) {
      const response = await app.inject({
        method: 'POST',
        url: '/usuarios',
        headers: { 'idempotency-key': idempotencyKey },
        payload: { nome: 'Kafka Voltou' }
      })
      if (response.statusCode === 202) {
        accepted = response.json<Accepted>()
      } else {
        assert.equal(response.statusCode, 503, response.body)
        refused++
        await sleep(1_000)
      }
    }
    const acceptedMs = Math.round(performance.now() - retryStarted)
    t.diagnostic(`first 202 ${acceptedMs} ms after Kafka was ready (${refused} × 503 before)`)
    assert.ok(accepted, 'a request is accepted within 60 s of Kafka being back')
    assert.equal((accepted.usuario as { nome: string }).nome, 'Kafka Voltou')

    // The processor's consumer and the gateway's reply consumer rejoin their groups; bounded.
    const repliesBefore = await topicSize(kafka, topics.responses)
    let replied: number | undefined
    let result: OperationStatusRecord | undefined
    while (performance.now() - retryStarted < 120_000) {
      const status = await app.inject({ method: 'GET', url: `${accepted.status_url}?wait=1` })
      result = status.json<OperationStatusRecord>()
      if (replied === undefined && (await topicSize(kafka, topics.responses)) > repliesBefore) {
        replied = Math.round(performance.now() - retryStarted)
      }
      if (result.status !== 'pending') break
    }
    const settledMs = Math.round(performance.now() - retryStarted)
    t.diagnostic(
      `reply on the topic ${replied} ms, status ${result?.status} ${settledMs} ms after Kafka was ready`
    )
    assert.equal(result?.status, 'success', JSON.stringify(result))

    assert.equal(
      await topicSize(kafka, topics.requests),
      publishedBefore + 1,
      'the refused requests were never published, the accepted one once'
    )
    const healthy = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(healthy.statusCode, 200, healthy.body)
  }
)
