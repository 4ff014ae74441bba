import { Topic, type TopicNames } from '@streaming/contracts'
import { createProduceBatcher } from '@streaming/runtime'
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import type { Kafka } from 'kafkajs'
import type { Db } from 'mongodb'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { ProcessorConfig } from './config.ts'
import { createClaims } from './claims.ts'
import { createDeadLetterPublisher } from './dead-letter.ts'
import { handlers as defaultHandlers } from './handlers/index.ts'
import type { HandlerMap } from './handlers/types.ts'
import { createProcessorHttpServer } from './http.ts'
import { runInKeyOrder } from './key-ordered.ts'
import { createProcessorMetrics } from './metrics.ts'
import { createMessageProcessor } from './message-processor.ts'
import { createReplyLog } from './reply-log.ts'
import { ensureMongoIndexes, createMongoStore } from './stores/mongodb.ts'
import { migratePostgres } from './stores/postgres-migrations.ts'
import { createPostgresStore } from './stores/postgres.ts'
import { createRedisStore } from './stores/redis.ts'

export interface ProcessorDeps {
  config: ProcessorConfig
  log: Logger
  kafka: Kafka
  postgres: pg.Pool
  mongodb: Db
  redis: Redis
  handlers?: HandlerMap
  /** Defaults to the platform's topics. */
  topics?: TopicNames
  /** Prefix of the processor's own Redis keys (sessions, cache, reply log); tests isolate with it. */
  redisKeyPrefix?: string
}

/**
 * The processor: a consumer group member on `user_events` that applies each request to its store
 * and publishes one reply on `response_events`, plus its health and metrics server.
 * `start()` connects and begins consuming; `close()` stops consuming, commits what is done and
 * disconnects. The store clients belong to the caller, who closes them after `close()`.
 */
export function createProcessor(deps: ProcessorDeps) {
  const { config, log } = deps
  const metrics = createProcessorMetrics()
  const topics = deps.topics ?? Topic
  const keyPrefix = deps.redisKeyPrefix ?? ''
  const stores = {
    postgres: createPostgresStore(deps.postgres),
    mongodb: createMongoStore(deps.mongodb),
    redis: createRedisStore(deps.redis, {
      sessionTtlSeconds: config.SESSION_TTL_SECONDS,
      contentTtlSeconds: config.CONTENT_CACHE_TTL_SECONDS,
      keyPrefix
    })
  }
  // One admin connection for the health checks, instead of a new one at every poll.
  const admin = deps.kafka.admin()
  const producer = deps.kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1
  })
  const consumer = deps.kafka.consumer({
    groupId: config.PROCESSOR_GROUP_ID,
    allowAutoTopicCreation: false,
    // Short enough that a member lost in a broker outage is replaced within seconds.
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000
  })
  // Replies of requests answered at the same time leave in one produce request.
  const replies = createProduceBatcher(producer, topics.responses, {
    maxBatch: 1_000,
    timeoutMs: 30_000
  })
  let consuming = false
  let heartbeat: (() => Promise<void>) | undefined

  const processMessage = createMessageProcessor({
    handlers: deps.handlers ?? defaultHandlers,
    stores,
    replyLog: createReplyLog(deps.redis, config.PROCESSOR_REPLY_LOG_RETENTION_SECONDS, keyPrefix),
    claims: createClaims(deps.redis, config.STATUS_RETENTION_SECONDS),
    publishReply: (reply) =>
      replies.send({ key: reply.correlation_id, value: JSON.stringify(reply) }),
    publishDeadLetter: createDeadLetterPublisher(producer, topics.deadLetters),
    retryPolicy: {
      attempts: config.PROCESSOR_RETRY_ATTEMPTS,
      baseDelayMs: config.PROCESSOR_RETRY_BASE_MS,
      maxDelayMs: config.PROCESSOR_RETRY_MAX_MS
    },
    log,
    metrics,
    heartbeat: () => heartbeat?.() ?? Promise.resolve()
  })

  const health = createProcessorHttpServer({
    log,
    metrics,
    probes: {
      kafka: () => admin.describeCluster(),
      postgres: () => stores.postgres.ping(),
      mongodb: () => deps.mongodb.command({ ping: 1 }),
      redis: () => deps.redis.ping()
    },
    isConsuming: () => consuming
  })

  return {
    health,
    metrics,

    /** Prepares the stores' schema, joins the group and starts consuming. */
    async start(): Promise<void> {
      await migratePostgres(deps.postgres)
      await ensureMongoIndexes(deps.mongodb)
      await producer.connect()
      await admin.connect()
      await consumer.connect()
      await consumer.subscribe({ topic: topics.requests, fromBeginning: true })
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachBatchAutoResolve: false,
        eachBatch: async ({
          batch,
          resolveOffset,
          heartbeat: beat,
          commitOffsetsIfNecessary,
          isRunning,
          isStale
        }) => {
          heartbeat = beat
          const { topic, partition } = batch
          // A slice at a time: its requests run concurrently (one entity at a time, in order)
          // and its offsets are committed only once every one of them has its reply published.
          for (
            let start = 0;
            start < batch.messages.length;
            start += config.PROCESSOR_COMMIT_EVERY
          ) {
            if (!isRunning() || isStale()) return
            const slice = batch.messages
              .slice(start, start + config.PROCESSOR_COMMIT_EVERY)
              .map((message) => ({
                topic,
                partition,
                offset: message.offset,
                key: message.key,
                value: message.value
              }))
            await runInKeyOrder(slice, config.PROCESSOR_CONCURRENCY, processMessage)
            const last = (slice.at(-1) as { offset: string }).offset
            resolveOffset(last)
            await commitOffsetsIfNecessary({
              topics: [
                { topic, partitions: [{ partition, offset: (BigInt(last) + 1n).toString() }] }
              ]
            })
            await beat()
          }
        }
      })
      consuming = true
      log.info({ group: config.PROCESSOR_GROUP_ID, topic: topics.requests }, 'processor consuming')
    },

    async listen(): Promise<string> {
      return health.listen({ host: config.PROCESSOR_HOST, port: config.PROCESSOR_PORT })
    },

    /** Finishes the messages in hand, commits their offsets, leaves the group. */
    async close(): Promise<void> {
      consuming = false
      await consumer.disconnect()
      await producer.disconnect()
      await admin.disconnect()
      await health.close()
    }
  }
}

export type Processor = ReturnType<typeof createProcessor>

export type { FastifyInstance }
