// Several processors in one consumer group: the partitions are shared, and every request is
// applied and answered exactly once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeReply } from '@streaming/contracts'
import { nextUserId } from '../../gateway/src/fake/index.ts'
import { accept, settle, type Accepted } from '../helpers/http.ts'
import { partitionOfKey, readWholeTopic, topicSize, waitForGroup } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'

const USERS = 10
const OPERATIONS = 50
const CONCURRENCY = 10

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await work(items[index] as T)
      }
    })
  )
  return results
}

/** User ids spread over every partition of a 3-partition topic, so each processor gets work. */
function userIdsOverPartitions(count: number, partitions = 3): number[] {
  const buckets: number[][] = Array.from({ length: partitions }, () => [])
  const perPartition = Math.ceil(count / partitions)
  while (buckets.reduce((sum, b) => sum + b.length, 0) < count) {
    const id = nextUserId()
    const bucket = buckets[partitionOfKey(String(id), partitions)]!
    if (bucket.length < perPartition) bucket.push(id)
  }
  return buckets.flat()
}

test(
  'two processors share the partitions; each request is applied and answered once',
  { timeout: 180_000 },
  async (t) => {
    const platform = await startPlatform(t, { processors: 0 })
    const { app, kafka, topics, postgres, mongodb, redis, redisKeyPrefix } = platform
    const processors = [await platform.startProcessor(), await platform.startProcessor()]
    const assignments = await waitForGroup(kafka, platform.processorGroup, topics.requests, 2)
    assert.deepEqual(assignments.flat().sort(), [0, 1, 2], 'the two members hold all 3 partitions')

    const run = async (method: 'POST', url: string, body: Record<string, unknown>) => {
      const accepted: Accepted = await accept(app, method, url, body)
      const result = await settle(app, accepted, 30)
      assert.equal(result.status, 'success', `${url}: ${result.message}`)
      return accepted
    }

    const userIds = userIdsOverPartitions(USERS)
    await pool(userIds, CONCURRENCY, (userId) => run('POST', '/usuarios', { user_id: userId }))

    const kinds = ['sessao', 'pagamento', 'visualizacao'] as const
    const operations = Array.from({ length: OPERATIONS }, (_, i) => ({
      kind: kinds[i % kinds.length]!,
      userId: userIds[i % userIds.length]!
    }))
    await pool(operations, CONCURRENCY, ({ kind, userId }) => {
      switch (kind) {
        case 'sessao':
          return run('POST', '/sessoes', { user_id: userId })
        case 'pagamento':
          return run('POST', `/usuarios/${userId}/pagamento`, { valor: 29.9 })
        case 'visualizacao':
          return run('POST', '/historico-visualizacao', { user_id: userId })
      }
    })
    const expected = (kind: (typeof kinds)[number]) =>
      operations.filter((o) => o.kind === kind).length
    const requests = USERS + OPERATIONS

    // Counted in the stores themselves.
    const count = async (table: string) =>
      (await postgres.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number
    assert.equal(await count('usuarios'), USERS)
    assert.equal(await count('pagamentos'), expected('pagamento'))
    assert.equal(
      await mongodb.collection('historico_visualizacao').countDocuments(),
      expected('visualizacao')
    )
    assert.equal((await redis.keys(`${redisKeyPrefix}sessao:*`)).length, expected('sessao'))

    // One request event and one reply per operation.
    assert.equal(await topicSize(kafka, topics.requests), requests)
    assert.equal(await topicSize(kafka, topics.responses), requests, 'one reply per request')
    const replies = (await readWholeTopic(kafka, topics.responses)).map((message) => {
      const decoded = decodeReply(message.value)
      assert.ok(decoded.ok)
      return decoded.value
    })
    assert.equal(replies.length, requests)
    assert.equal(new Set(replies.map((r) => r.request_event_id)).size, requests, 'no duplicates')
    assert.equal(new Set(replies.map((r) => r.correlation_id)).size, requests)
    assert.ok(replies.every((r) => r.status === 'success'))

    // Both processors did part of the work.
    const answered = await Promise.all(
      processors.map(async (p) =>
        (await p.metrics.replies.get()).values.reduce((sum, v) => sum + v.value, 0)
      )
    )
    t.diagnostic(`partitions ${JSON.stringify(assignments)}, replies per processor ${answered}`)
    assert.ok(
      answered.every((n) => n > 0),
      `each processor answered some: ${answered}`
    )
    assert.equal(
      answered.reduce((a, b) => a + b, 0),
      requests
    )
  }
)
