// Creates the platform's topics with their partition counts, idempotently.
//   node stack/kafka-topics.mjs name:partitions[,name:partitions…]
// A topic that exists already is left as it is (Kafka never shrinks one); a different partition
// count is reported, not changed.
import { Kafka, logLevel } from 'kafkajs'

const specs = (process.argv[2] ?? '')
  .split(',')
  .map((spec) => spec.trim())
  .filter(Boolean)
  .map((spec) => {
    const [topic, partitions = '3'] = spec.split(':')
    const numPartitions = Number(partitions)
    if (!topic || !Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new Error(`bad topic spec '${spec}' (expected name:partitions)`)
    }
    return { topic, numPartitions, replicationFactor: 1 }
  })

const admin = new Kafka({
  clientId: 'stack-topics',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  logLevel: logLevel.NOTHING
}).admin()

await admin.connect()
try {
  const existing = new Set(await admin.listTopics())
  const missing = specs.filter((spec) => !existing.has(spec.topic))
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true })
  for (const spec of missing)
    console.log(`created ${spec.topic} (${spec.numPartitions} partitions)`)
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) })
  for (const spec of specs) {
    const actual = topics.find((topic) => topic.name === spec.topic)?.partitions.length
    if (actual !== spec.numPartitions) {
      console.log(
        `warning: ${spec.topic} has ${actual} partitions, ${spec.numPartitions} requested`
      )
    }
  }
} finally {
  await admin.disconnect()
}
