import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createProduceBatcher } from '../src/produce-batcher.ts'
import { defer } from '../../test/helpers/cleanup.ts'
import { createKafka, uniqueName } from '../../test/helpers/servers.ts'

test('concurrent sends leave in few produce requests, and every message lands', async (t) => {
  const kafka = createKafka(t)
  const topic = uniqueName('test-batcher')
  const admin = kafka.admin()
  await admin.connect()
  defer(t, () => admin.disconnect())
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })
  defer(t, () => admin.deleteTopics({ topics: [topic] }))

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  defer(t, () => producer.disconnect())
  let requests = 0
  const send = producer.send.bind(producer)
  producer.send = (record) => {
    requests++
    return send(record)
  }

  const batcher = createProduceBatcher(producer, topic, { maxBatch: 100, timeoutMs: 5_000 })
  const count = 300
  await Promise.all(
    Array.from({ length: count }, (_, i) => batcher.send({ key: `k${i % 7}`, value: String(i) }))
  )

  const offsets = await admin.fetchTopicOffsets(topic)
  const stored = offsets.reduce((sum, partition) => sum + Number(partition.high), 0)
  assert.equal(stored, count, 'every message is in the topic')
  assert.ok(
    requests >= count / 100 && requests < 20,
    `${requests} produce requests for ${count} sends`
  )
  assert.equal(batcher.waiting, 0)
})

test('a failed produce request rejects every send it carried', async (t) => {
  const kafka = createKafka(t)
  const producer = kafka.producer()
  await producer.connect()
  const batcher = createProduceBatcher(producer, uniqueName('test-missing-topic'), {
    maxBatch: 10,
    timeoutMs: 2_000
  })
  await producer.disconnect()
  const results = await Promise.allSettled([
    batcher.send({ value: 'a' }),
    batcher.send({ value: 'b' })
  ])
  assert.deepEqual(
    results.map((result) => result.status),
    ['rejected', 'rejected']
  )
})

test('a send withdrawn before it leaves is never published', async (t) => {
  const kafka = createKafka(t)
  const topic = uniqueName('test-batcher-abort')
  const admin = kafka.admin()
  await admin.connect()
  defer(t, () => admin.disconnect())
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
  defer(t, () => admin.deleteTopics({ topics: [topic] }))
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  defer(t, () => producer.disconnect())

  const batcher = createProduceBatcher(producer, topic, { maxBatch: 100, timeoutMs: 5_000 })
  const first = batcher.send({ value: 'sent' })
  // The first request is in flight; the second waits in the queue and is withdrawn there.
  const withdrawn = new AbortController()
  const second = assert.rejects(batcher.send({ value: 'withdrawn' }, withdrawn.signal), /deadline/)
  withdrawn.abort(new Error('deadline'))
  await first
  await second

  const [partition] = await admin.fetchTopicOffsets(topic)
  assert.equal(partition?.high, '1', 'only the first message is in the topic')
})
