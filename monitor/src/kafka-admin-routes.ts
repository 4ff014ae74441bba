import { randomUUID } from 'node:crypto'
import { Nullable, sendError, withTimeout } from '@streaming/contracts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Admin, IHeaders, Kafka } from 'kafkajs'
import Type, { type Static } from 'typebox'
import { describeError } from './describe-error.ts'
import {
  bucketsToJson,
  histogramQuantile,
  scrape,
  summarizeGateway,
  summarizeProcessor,
  type MetricsSummary
} from './metrics-summary.ts'

// The dashboard's view of Kafka, served by the monitor: topics with their partitions and
// offsets, consumer groups with their lag, the last messages of one partition decoded; and the
// live charts' data (`GET /metrics/summary`).

/** Longest wait for the admin reads of one answer. */
const ADMIN_TIMEOUT_MS = 5_000
/** Longest wait for the last messages of a partition (joining a group takes a moment). */
const READ_TIMEOUT_MS = 10_000
/** Longest wait for one service's /metrics. */
const SCRAPE_TIMEOUT_MS = 2_000

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

export const MessagesParams = Type.Object({
  topic: Type.String({ minLength: 1, maxLength: 249, pattern: '^[a-zA-Z0-9._-]+$' }),
  partition: Type.Integer({ minimum: 0, maximum: 100_000 })
})

export const MessagesQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 })
})

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

class NotFound extends Error {}

export interface KafkaAdminRoutesOptions {
  kafka: Kafka
  /** The monitor's connected admin client (undefined before start). */
  admin: () => Admin | undefined
  gatewayUrl: string
  processorUrl: string
}

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

/** The live charts' data: the services' counters and histograms, and the lag per group. */
export async function metricsSummary(
  overview: (() => Promise<KafkaOverview>) | undefined,
  gatewayUrl: string,
  processorUrl: string
) {
  const [gateway, processor, lag] = await Promise.all([
    scrape(gatewayUrl, SCRAPE_TIMEOUT_MS),
    scrape(processorUrl, SCRAPE_TIMEOUT_MS),
    overview
      ? withTimeout(overview(), ADMIN_TIMEOUT_MS)
          .then(({ groups }) => Object.fromEntries(groups.map((g) => [g.group_id, g.lag])))
          .catch(() => null)
      : Promise.resolve(null)
  ])
  const summary: MetricsSummary = {
    at: Date.now(),
    gateway: { up: gateway !== undefined, ...summarizeGateway(gateway ?? []) },
    processor: { up: processor !== undefined, ...summarizeProcessor(processor ?? []) },
    lag: lag ?? {}
  }
  return {
    at: summary.at,
    gateway: summary.gateway,
    processor: {
      ...summary.processor,
      operations: Object.fromEntries(
        Object.entries(summary.processor.operations).map(([type, operation]) => [
          type,
          {
            replies: operation.replies,
            duration: {
              count: operation.duration.count,
              sum: operation.duration.sum,
              // Since the processor started; the dashboard takes the quantiles of deltas.
              p50: histogramQuantile(0.5, operation.duration.buckets),
              p95: histogramQuantile(0.95, operation.duration.buckets),
              buckets: bucketsToJson(operation.duration.buckets)
            }
          }
        ])
      )
    },
    kafka: { up: lag !== null },
    lag: summary.lag
  }
}

/** `GET /kafka/topics`, `GET /kafka/topics/{topic}/partitions/{partition}/messages`, `GET /metrics/summary`. */
export const kafkaAdminRoutes: FastifyPluginAsync<KafkaAdminRoutesOptions> = async (
  server,
  { kafka, admin: adminOf, gatewayUrl, processorUrl }
) => {
  // These pages read with an admin client of their own, not the monitor's: kafkajs keeps every
  // topic an admin has read in its metadata requests, and once such a topic is deleted each
  // request fails. A failed read starts over once with a new client.
  // One connection shared by concurrent reads (the page asks for the topics and the summary at
  // once): each would otherwise open its own, and one read's failure would close the admin
  // another read was using.
  let own: Promise<Admin> | undefined
  const pageAdmin = (): Promise<Admin> => {
    if (own) return own
    const fresh = kafka.admin()
    const connecting = withTimeout(fresh.connect(), ADMIN_TIMEOUT_MS).then(
      () => fresh,
      (err: unknown) => {
        fresh.disconnect().catch(() => {})
        if (own === connecting) own = undefined
        throw err
      }
    )
    own = connecting
    return connecting
  }
  /** Retires the admin a read failed with, unless another read has replaced it already. */
  const dropAdmin = (stale: Promise<Admin>) => {
    if (own !== stale) return
    own = undefined
    stale.then((admin) => admin.disconnect()).catch(() => {})
  }
  const withPageAdmin = async <T>(read: (admin: Admin) => Promise<T>): Promise<T> => {
    const current = pageAdmin()
    try {
      return await read(await current)
    } catch (err) {
      if (err instanceof NotFound) throw err
      dropAdmin(current)
      return await read(await pageAdmin())
    }
  }
  const overview = () =>
    withPageAdmin((admin) => withTimeout(kafkaOverview(admin), ADMIN_TIMEOUT_MS))
  server.addHook('onClose', async () => {
    await own?.then((admin) => admin.disconnect()).catch(() => {})
  })

  const unavailable = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    request.log.warn({ err: describeError(err) }, 'kafka read unavailable')
    reply.header('retry-after', '5')
    return sendError(
      reply,
      503,
      'SERVICE_UNAVAILABLE',
      'Kafka indisponível: os tópicos não podem ser lidos agora'
    )
  }

  server.get(
    '/kafka/topics',
    { schema: { response: { 200: KafkaOverview } } },
    async (request, reply) => {
      if (!adminOf()) return unavailable(request, reply, new Error('monitor not started'))
      try {
        return await overview()
      } catch (err) {
        return unavailable(request, reply, err)
      }
    }
  )

  server.get<{ Params: Static<typeof MessagesParams>; Querystring: Static<typeof MessagesQuery> }>(
    '/kafka/topics/:topic/partitions/:partition/messages',
    {
      schema: {
        params: MessagesParams,
        querystring: MessagesQuery,
        response: { 200: PartitionMessages }
      }
    },
    async (request, reply) => {
      if (!adminOf()) return unavailable(request, reply, new Error('monitor not started'))
      const { topic, partition } = request.params
      try {
        return await withPageAdmin((admin) =>
          lastMessages(kafka, admin, topic, partition, request.query.limit)
        )
      } catch (err) {
        if (err instanceof NotFound) return sendError(reply, 404, 'NOT_FOUND', err.message)
        return unavailable(request, reply, err)
      }
    }
  )

  server.get('/metrics/summary', async () =>
    metricsSummary(adminOf() ? overview : undefined, gatewayUrl, processorUrl)
  )
}
