import { randomUUID } from 'node:crypto'
import { Nullable } from '@streaming/contracts'
import { withTimeout } from '@streaming/runtime'
import type { Admin, IHeaders, Kafka } from 'kafkajs'
import Type, { type Static } from 'typebox'

// What the dashboard's Kafka section reads, through the admin API and a consumer of its own:
// topics with their partitions and offsets, consumer groups with their lag, the last messages of
// one partition decoded. kafka-admin-routes.ts serves them.

/** Longest wait for the admin reads of one answer. */
export const ADMIN_TIMEOUT_MS = 5_000
/** Longest wait for the last messages of a partition (joining a group takes a moment). */
const READ_TIMEOUT_MS = 10_000

export const KafkaPartition = Type.Object({
  partition: Type.Integer(),
  leader: Type.Integer(),
  low: Type.String(),
  high: Type.String()
})

export const KafkaTopic = Type.Object({
  topic: Type.String(),
  partitions: Type.Array(KafkaPartition)
})

export const KafkaGroup = Type.Object({
  group_id: Type.String(),
  state: Type.String(),
  /** Lag (end offset minus committed offset) per topic, and per partition. */
  topics: Type.Array(
    Type.Object({
      topic: Type.String(),
      lag: Type.Integer(),
      partitions: Type.Array(
        Type.Object({
          partition: Type.Integer(),
          committed: Type.String(),
          high: Type.String(),
          lag: Type.Integer()
        })
      )
    })
  ),
  lag: Type.Integer()
})

export const KafkaOverview = Type.Object({
  topics: Type.Array(KafkaTopic),
  groups: Type.Array(KafkaGroup)
})
export type KafkaOverview = Static<typeof KafkaOverview>

export const KafkaMessage = Type.Object({
  offset: Type.String(),
  timestamp: Type.String(),
  key: Nullable(Type.String()),
  headers: Type.Record(Type.String(), Type.String()),
  /** The value parsed when it is JSON, else its text (null for a tombstone). */
  value: Type.Unknown(),
  json: Type.Boolean()
})
export type KafkaMessage = Static<typeof KafkaMessage>

export const PartitionMessages = Type.Object({
  topic: Type.String(),
  partition: Type.Integer(),
  low: Type.String(),
  high: Type.String(),
  messages: Type.Array(KafkaMessage)
})
export type PartitionMessages = Static<typeof PartitionMessages>

const headerText = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(String).join(', ') : String(value ?? '')
    ])
  )

/** A record's value: parsed when it is JSON, else its text. */
export function decodeValue(value: Buffer | null): { value: unknown; json: boolean } {
  if (value === null) return { value: null, json: false }
  const text = value.toString('utf8')
  try {
    return { value: JSON.parse(text) as unknown, json: true }
  } catch {
    return { value: text, json: false }
  }
}

const isInternal = (topic: string) => topic.startsWith('__')

/** A topic or partition that does not exist: a 404, not Kafka being away. */
export class NotFound extends Error {}

/** Topics, partitions and offsets, and every consumer group's lag on them. */
export async function kafkaOverview(admin: Admin): Promise<KafkaOverview> {
  const metadata = await admin.fetchTopicMetadata()
  const visible = metadata.topics
    .filter(({ name }) => !isInternal(name))
    .sort((a, b) => a.name.localeCompare(b.name))
  // A topic deleted between the metadata and its offsets is left out, not an error.
  const offsets = new Map(
    (
      await Promise.all(
        visible.map(async ({ name }) => {
          const ends = await admin.fetchTopicOffsets(name).catch(() => undefined)
          return ends ? [[name, ends] as const] : []
        })
      )
    ).flat()
  )
  const topics = visible
    .filter(({ name }) => offsets.has(name))
    .map(({ name, partitions }) => {
      const ends = offsets.get(name) ?? []
      return {
        topic: name,
        partitions: partitions
          .map(({ partitionId, leader }) => {
            const end = ends.find((offset) => offset.partition === partitionId)
            return {
              partition: partitionId,
              leader,
              low: end?.low ?? '0',
              high: end?.high ?? '0'
            }
          })
          .sort((a, b) => a.partition - b.partition)
      }
    })
  const { groups: listed } = await admin.listGroups()
  const consumerGroups = listed
    .filter(({ protocolType }) => protocolType === 'consumer' || protocolType === '')
    .map(({ groupId }) => groupId)
    .sort()
  const described =
    consumerGroups.length === 0 ? { groups: [] } : await admin.describeGroups(consumerGroups)
  const stateOf = new Map(described.groups.map(({ groupId, state }) => [groupId, state]))
  const groups = await Promise.all(
    consumerGroups.map(async (groupId) => {
      const committed = await admin.fetchOffsets({ groupId })
      const lags = committed.flatMap(({ topic, partitions }) => {
        const ends = offsets.get(topic)
        if (!ends || isInternal(topic)) return []
        const perPartition = ends
          .map((end) => {
            const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1'
            const start = Number(offset) >= 0 ? Number(offset) : Number(end.low)
            return {
              partition: end.partition,
              committed: offset,
              high: end.high,
              lag: Math.max(0, Number(end.high) - start)
            }
          })
          .sort((a, b) => a.partition - b.partition)
        // A group that never committed on a topic is not reading it.
        if (perPartition.every((p) => Number(p.committed) < 0)) return []
        return [
          {
            topic,
            lag: perPartition.reduce((sum, p) => sum + p.lag, 0),
            partitions: perPartition
          }
        ]
      })
      return {
        group_id: groupId,
        state: stateOf.get(groupId) ?? 'Unknown',
        topics: lags.sort((a, b) => a.topic.localeCompare(b.topic)),
        lag: lags.reduce((sum, topic) => sum + topic.lag, 0)
      }
    })
  )
  return { topics, groups: groups.filter((group) => group.topics.length > 0) }
}

/**
 * The last `limit` messages of one partition, oldest first, read by a consumer of its own
 * (a group used once and deleted) that seeks to `high − limit` and stops at `high`.
 */
export async function lastMessages(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  partition: number,
  limit: number,
  timeoutMs = READ_TIMEOUT_MS
): Promise<PartitionMessages> {
  const metadata = await withTimeout(admin.fetchTopicMetadata(), ADMIN_TIMEOUT_MS)
  const found = metadata.topics.find(({ name }) => name === topic)
  if (!found || isInternal(topic)) throw new NotFound(`Tópico ${topic} não existe`)
  if (!found.partitions.some(({ partitionId }) => partitionId === partition)) {
    throw new NotFound(
      `O tópico ${topic} não tem a partição ${partition} ` +
        `(tem ${found.partitions.length} partições, de 0 a ${found.partitions.length - 1})`
    )
  }
  const ends = await withTimeout(admin.fetchTopicOffsets(topic), ADMIN_TIMEOUT_MS)
  const end = ends.find((offset) => offset.partition === partition)
  const low = BigInt(end?.low ?? '0')
  const high = BigInt(end?.high ?? '0')
  const result = { topic, partition, low: low.toString(), high: high.toString() }
  if (high <= low) return { ...result, messages: [] }
  const from = high - BigInt(limit) > low ? high - BigInt(limit) : low

  const groupId = `monitor-peek-${randomUUID()}`
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000
  })
  const messages: KafkaMessage[] = []
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    done = resolve
  })
  try {
    await withTimeout(
      (async () => {
        await consumer.connect()
        await consumer.subscribe({ topic, fromBeginning: false })
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (batch.partition !== partition) return
            for (const message of batch.messages) {
              const offset = BigInt(message.offset)
              if (offset < from || offset >= high) continue
              if (messages.some((seen) => seen.offset === message.offset)) continue
              messages.push({
                offset: message.offset,
                timestamp: new Date(Number(message.timestamp)).toISOString(),
                key: message.key?.toString('utf8') ?? null,
                headers: headerText(message.headers),
                ...decodeValue(message.value)
              })
              if (offset >= high - 1n) done()
            }
          }
        })
        consumer.seek({ topic, partition, offset: from.toString() })
        await finished
      })(),
      timeoutMs
    )
  } finally {
    await consumer.disconnect().catch(() => {})
    admin.deleteGroups([groupId]).catch(() => {})
  }
  messages.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1))
  return { ...result, messages }
}
