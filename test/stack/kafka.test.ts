import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Topic, topicPartitions } from '@streaming/contracts'
import { createKafka, uniqueName } from '../helpers/servers.ts'
import { defer } from '../helpers/cleanup.ts'

test('Kafka: the platform topics exist with their partition counts', async (t) => {
  const admin = createKafka(t).admin()
  await admin.connect()
  defer(t, () => admin.disconnect())
  const { topics } = await admin.fetchTopicMetadata({ topics: Object.values(Topic) })
  const partitions = Object.fromEntries(
    topics.map((topic) => [topic.name, topic.partitions.length])
  )
  assert.deepEqual(partitions, topicPartitions)
})

test('Kafka: produce with acks from all replicas and consume a round trip', async (t) => {
  const kafka = createKafka(t)
  const topic = uniqueName('test-roundtrip')
  const admin = kafka.admin()
  await admin.connect()
  defer(t, async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {})
    await admin.disconnect()
  })
  assert.equal(
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }),
    true
  )

  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  defer(t, () => producer.disconnect())
  const sent = [1, 2, 3].map((n) => ({ key: `user-${n}`, value: JSON.stringify({ n }) }))
  const acks = await producer.send({ topic, acks: -1, messages: sent })
  assert.equal(acks.length > 0 && acks.every((ack) => ack.errorCode === 0), true)

  const consumer = kafka.consumer({ groupId: uniqueName('test-group') })
  await consumer.connect()
  defer(t, () => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: true })
  const received = new Map<string, string>()
  const allReceived = new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          received.set(String(message.key), String(message.value))
          if (received.size === sent.length) resolve()
        }
      })
      .catch(reject)
  })
  await Promise.race([
    allReceived,
    new Promise((resolve, reject) =>
      setTimeout(() => reject(new Error('no round trip within 30 s')), 30_000).unref()
    )
  ])
  assert.deepEqual(
    Object.fromEntries(received),
    Object.fromEntries(sent.map((m) => [m.key, m.value]))
  )
})
