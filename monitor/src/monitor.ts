import type { Client } from '@elastic/elasticsearch'
import { Topic, type TopicNames } from '@streaming/contracts'
import { withTimeout } from '@streaming/runtime'
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs'
import type { Logger } from 'pino'
import type { MonitorConfig } from './config.ts'
import { describeError } from './describe-error.ts'
import { toIndexAction, type EventDocument } from './documents.ts'
import { createMonitorHttp } from './http.ts'
import { indexNames, isValidIndexPrefix } from './index-names.ts'
import { createIndexer, type Indexer } from './indexer.ts'
import { createMonitorMetrics, createRateMeter } from './metrics.ts'
import { openSpool } from './spool.ts'

export interface MonitorDeps {
  config: MonitorConfig
  log: Logger
  kafka: Kafka
  elasticsearch: Client
  /** Defaults to the platform's topics. */
  topics?: TopicNames
  /** Prefix of every index, template and alias; defaults to `api_` (tests isolate with it). */
  indexPrefix?: string
  /** Defaults to MONITOR_FALLBACK_FILE. */
  fallbackFile?: string
}

/**
 * The monitor: one consumer group member on the requests, replies and dead-letter topics that
 * turns every record into one Elasticsearch document (file fallback included), plus its HTTP
 * server (`http.ts`: health, metrics, recent transactions, traces). Offsets of a batch are committed only
 * once its documents are durable, so a crash at any point makes Kafka deliver again what was not
 * done, and deterministic ids make that second delivery overwrite instead of add.
 */
export function createMonitor(deps: MonitorDeps) {
  const { config, log, elasticsearch: client } = deps
  const topics = deps.topics ?? Topic
  const prefix = deps.indexPrefix ?? 'api_'
  if (!isValidIndexPrefix(prefix)) throw new Error(`invalid index prefix '${prefix}'`)
  const names = indexNames(prefix)
  const fallbackFile = deps.fallbackFile ?? config.MONITOR_FALLBACK_FILE
  const groupId = config.MONITOR_GROUP_ID
  const subscribed = [topics.requests, topics.responses, topics.deadLetters]
  let indexer: Indexer | undefined
  let consumer: Consumer | undefined
  let admin: Admin | undefined
  let consuming = false
  let closing: Promise<void> | undefined
  // Set by start(): closes the indexer, then the file.
  let stopIndexer: () => Promise<void> = async () => {}
  const rate = createRateMeter()
  const metrics = createMonitorMetrics({
    mode: () => indexer?.mode,
    spooled: () => indexer?.spooled ?? 0,
    indexedPerSecond: () => rate.perSecond(),
    consumerLag: () =>
      withTimeout(consumerLag(), 3_000).catch((err: unknown) => {
        log.debug({ err: describeError(err) }, 'consumer lag unavailable')
        throw err
      })
  })

  // Batches handed to eachBatch and not finished, and those of them waiting for the indexer.
  let inHand = 0
  let waiting = 0
  const flushWhenAllWaiting = () => {
    if (waiting > 0 && waiting >= inHand) indexer?.flush()
  }

  async function eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isStale
  }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || !indexer) return
    inHand++
    try {
      const indexedAt = new Date().toISOString()
      const actions = batch.messages.map((message) => {
        const action = toIndexAction(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            timestamp: message.timestamp,
            key: message.key,
            value: message.value,
            headers: message.headers
          },
          topics,
          prefix,
          indexedAt
        )
        if (action.document.malformed) noteMalformed(action.document)
        return action
      })
      metrics.consumed.inc({ topic: batch.topic }, actions.length)
      waiting++
      try {
        const durable = indexer.add(actions)
        // Let the other batches of this fetch hand theirs over before deciding to send.
        setImmediate(flushWhenAllWaiting)
        await withHeartbeat(durable, heartbeat)
      } finally {
        waiting--
      }
    } finally {
      inHand--
      flushWhenAllWaiting()
    }

    const lastOffset = batch.lastOffset()
    resolveOffset(lastOffset)
    // After a rebalance or a seek the partition's position moved on; leave its commit alone.
    if (isStale()) return
    await commitOffsetsIfNecessary({
      topics: [
        {
          topic: batch.topic,
          partitions: [{ partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }]
        }
      ]
    })
    log.debug(
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: lastOffset,
        count: batch.messages.length
      },
      'batch stored and committed'
    )
  }

  function noteMalformed(document: EventDocument): void {
    metrics.malformed.inc({ topic: document.topic, reason: document.error_code ?? 'unknown' })
    log.warn(
      {
        topic: document.topic,
        partition: document.partition,
        offset: document.offset,
        correlation_id: document.transaction_id,
        reason: document.error
      },
      'malformed event indexed as such'
    )
  }

  async function consumerLag(): Promise<Array<{ topic: string; partition: number; lag: number }>> {
    if (!admin) return []
    const committed = await admin.fetchOffsets({ groupId, topics: subscribed })
    const lags: Array<{ topic: string; partition: number; lag: number }> = []
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic)
      for (const end of ends) {
        const offset = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1)
        const start = offset >= 0 ? offset : Number(end.low)
        lags.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - start) })
      }
    }
    return lags
  }

  const http = createMonitorHttp({
    log: log.child({ component: 'http' }),
    kafka: deps.kafka,
    elasticsearch: client,
    metrics,
    names,
    topics,
    gatewayUrl: config.MONITOR_GATEWAY_URL,
    processorUrl: config.MONITOR_PROCESSOR_URL,
    state: {
      consuming: () => consuming,
      admin: () => admin,
      mode: () => indexer?.mode ?? 'elasticsearch',
      spooled: () => indexer?.spooled ?? 0,
      indexedPerSecond: () => rate.perSecond()
    }
  })

  return {
    /** The HTTP server (health, metrics, recent transactions, traces); `listen()` binds it. */
    health: http,
    metrics,
    get mode() {
      return indexer?.mode ?? 'elasticsearch'
    },
    get spooled() {
      return indexer?.spooled ?? 0
    },

    /**
     * Opens the fallback file, puts the templates in place (or enters fallback mode when
     * Elasticsearch does not answer), joins the group and starts consuming.
     */
    async start(): Promise<void> {
      const spool = await openSpool(fallbackFile)
      indexer = createIndexer({
        client,
        spool,
        log: log.child({ component: 'indexer' }),
        metrics,
        prefix,
        replicas: config.MONITOR_INDEX_REPLICAS,
        maxDocs: config.MONITOR_BULK_MAX_DOCS,
        maxBytes: config.MONITOR_BULK_MAX_BYTES,
        flushMs: config.MONITOR_BULK_FLUSH_MS,
        concurrency: config.MONITOR_BULK_CONCURRENCY,
        retries: config.MONITOR_BULK_RETRIES,
        requestTimeoutMs: config.MONITOR_ES_TIMEOUT_MS,
        probeBaseMs: config.MONITOR_PROBE_BASE_MS,
        probeMaxMs: config.MONITOR_PROBE_MAX_MS,
        onIndexed: (count) => rate.add(count)
      })
      const started = indexer
      stopIndexer = async () => {
        stopIndexer = async () => {}
        await started.close()
        await spool.close()
      }
      await indexer.start()

      admin = deps.kafka.admin()
      await admin.connect()
      const sessionTimeout = config.MONITOR_SESSION_TIMEOUT_MS
      consumer = deps.kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        sessionTimeout,
        heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
        // An idle fetch waits this long on the broker; close() waits for it: keep shutdown quick.
        maxWaitTimeInMs: 1_000
      })
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed')
        if (!payload.restart) consuming = false
      })
      await consumer.connect()
      await consumer.subscribe({ topics: subscribed, fromBeginning: true })
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 8,
        eachBatch
      })
      consuming = true
      log.info(
        { group: groupId, topics: subscribed, mode: indexer.mode, prefix },
        'monitor consuming'
      )
    },

    async listen(): Promise<string> {
      return http.listen({ host: config.MONITOR_HOST, port: config.MONITOR_PORT })
    },

    /**
     * Stops consuming: the batches in hand are written (Elasticsearch or file) and committed
     * before the consumer leaves the group; then the file is closed.
     */
    close(): Promise<void> {
      closing ??= (async () => {
        consuming = false
        indexer?.flush()
        await consumer?.disconnect()
        await stopIndexer()
        await admin?.disconnect()
        await http.close()
      })()
      return closing
    }
  }
}

export type Monitor = ReturnType<typeof createMonitor>

async function withHeartbeat<T>(promise: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
  // A long wait (retries, a slow bulk, a replay) must not cost the consumer its group membership.
  const timer = setInterval(() => {
    heartbeat().catch(() => {})
  }, 1_000)
  try {
    return await promise
  } finally {
    clearInterval(timer)
  }
}
