// Drill: Redis refuses writes (out of memory under `noeviction`, as the last soak ended). The
// gateway answers 503 with Retry-After and publishes nothing; the processor, with requests in
// hand, retries with backoff instead of crashing; once Redis has room again every request that
// was in Kafka is applied exactly once and the gateway accepts again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EventType } from '@streaming/contracts'
import { completeRequest } from '../../gateway/src/fake/index.ts'
import { defer } from '../helpers/cleanup.ts'
import { pollUntil, readStatuses, spawnProcessor, startDrillPlatform } from '../helpers/drill.ts'
import { produceRaw, requestEnvelopeJson, topicSize } from '../helpers/kafka.ts'

const QUEUED = 40
const REFUSED_FOR_MS = 4_000

test(
  'Redis out of memory: the gateway answers 503, the processor backs off and recovers, nothing is lost',
  { timeout: 180_000 },
  async (t) => {
    const platform = await startDrillPlatform(t)
    const { kafka, topics, redis, postgres, baseUrl } = platform
    const processor = await spawnProcessor(t, platform)

    const post = (body: Record<string, unknown>) =>
      fetch(`${baseUrl}/usuarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000)
      })

    const [, limit] = (await redis.config('GET', 'maxmemory')) as [string, string]
    const restore = async () => {
      await redis.config('SET', 'maxmemory', limit)
    }
    defer(t, restore)
    const requestsBefore = await topicSize(kafka, topics.requests)

    // Every write refused from here on: the data set is far above one byte.
    await redis.config('SET', 'maxmemory', '1')
    const refusedAt = performance.now()

    const refused = await Promise.all(Array.from({ length: 10 }, () => post({})))
    for (const answer of refused) {
      const body = (await answer.json()) as { code: string }
      assert.equal(answer.status, 503, JSON.stringify(body))
      assert.equal(body.code, 'SERVICE_UNAVAILABLE')
      assert.ok(Number(answer.headers.get('retry-after')) > 0, 'Retry-After')
    }
    assert.equal(await topicSize(kafka, topics.requests), requestsBefore, 'nothing published')

    // Requests already in Kafka meet the full Redis in the processor (its claim is a write).
    const queued = Array.from({ length: QUEUED }, () => {
      const data = completeRequest(EventType.createUser, {})
      return { userId: data.user_id, json: requestEnvelopeJson({ data }) }
    })
    await produceRaw(
      t,
      kafka,
      topics.requests,
      queued.map(({ userId, json }) => ({ key: String(userId), value: json }))
    )
    const waited = REFUSED_FOR_MS - (performance.now() - refusedAt)
    if (waited > 0) await new Promise((resolve) => setTimeout(resolve, waited))
    const retries = await processor.counter('processor_retries_total')
    t.diagnostic(`processor retries while Redis refused writes: ${retries}`)
    assert.ok(retries > 0, 'the processor met the refusals and backed off')
    assert.equal(processor.child.exitCode, null, 'the processor is still running: no crash loop')

    await restore()

    const ids = queued.map(
      ({ json }) => (JSON.parse(json) as { correlation_id: string }).correlation_id
    )
    const { value: statuses, held } = await pollUntil(
      () => readStatuses(platform, ids),
      (read) => [...read.values()].every((record) => record?.status === 'success'),
      60_000,
      500
    )
    const notDone = [...statuses.values()].filter((record) => record?.status !== 'success')
    assert.ok(
      held,
      `${notDone.length} queued operations not successful: ${JSON.stringify(notDone[0])}`
    )
    const { rows } = await postgres.query<{ user_id: string }>('SELECT user_id FROM usuarios')
    const stored = rows.map((row) => Number(row.user_id)).sort()
    assert.deepEqual(stored, queued.map(({ userId }) => userId).sort(), 'each applied exactly once')
    assert.equal(await topicSize(kafka, topics.deadLetters), 0, 'nothing dead-lettered')

    const again = await post({})
    assert.equal(again.status, 202, 'accepting again once Redis has room')
    assert.equal(processor.child.exitCode, null)
  }
)
