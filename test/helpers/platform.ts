// The gateway and processors of one test, wired to real servers but isolated from every other
// test: topics, consumer groups, PostgreSQL and MongoDB databases and Redis key prefix of its own.
import type { TestContext } from 'node:test'
import type { TopicNames } from '@streaming/contracts'
import { Redis, type RedisOptions } from 'ioredis'
import type { Kafka } from 'kafkajs'
import type { Db } from 'mongodb'
import pg from 'pg'
import { pino } from 'pino'
import { buildApp, type GatewayApp } from '../../gateway/src/app.ts'
import { loadGatewayConfig } from '../../gateway/src/config.ts'
import { commandRedisOptions, subscriberRedisOptions } from '../../gateway/src/redis-options.ts'
import { loadProcessorConfig } from '../../processor/src/config.ts'
import { createProcessor, type Processor } from '../../processor/src/processor.ts'
import { defer } from './cleanup.ts'
import { connectMongo, createKafka, servers, uniqueName } from './servers.ts'

export interface Platform {
  app: GatewayApp
  kafka: Kafka
  topics: TopicNames
  postgres: pg.Pool
  mongodb: Db
  redis: Redis
  processorGroup: string
  redisKeyPrefix: string
  startProcessor: () => Promise<Processor>
}

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })

export async function createTopics(t: TestContext, kafka: Kafka): Promise<TopicNames> {
  const base = uniqueName('test')
  const topics = {
    requests: `${base}.user_events`,
    responses: `${base}.response_events`,
    deadLetters: `${base}.user_events.dlq`
  }
  const admin = kafka.admin()
  await admin.connect()
  defer(t, async () => {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {})
    await admin.disconnect()
  })
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.requests, numPartitions: 3 },
      { topic: topics.responses, numPartitions: 3 },
      { topic: topics.deadLetters, numPartitions: 1 }
    ]
  })
  return topics
}

/** Runs one statement on a connection of its own: none is left idle for a restart to break. */
async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({
    connectionString: servers.postgresUrl,
    connectionTimeoutMillis: 3_000
  })
  await admin.connect()
  try {
    await admin.query(sql)
  } finally {
    await admin.end()
  }
}

/** A PostgreSQL database of the test's own, through a pool as the processor's; dropped at the end. */
export async function createPostgresPool(t: TestContext): Promise<pg.Pool> {
  const name = uniqueName('test')
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(servers.postgresUrl)
  url.pathname = `/${name}`
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 5,
    connectionTimeoutMillis: 3_000
  })
  // DROP DATABASE … WITH (FORCE) at clean-up ends idle connections: expected, not a failure.
  pool.on('error', () => {})
  defer(t, async () => {
    await pool.end().catch(() => {})
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  })
  return pool
}

function redisClient(
  t: TestContext,
  options: RedisOptions = { maxRetriesPerRequest: 1, connectTimeout: 3_000 }
): Redis {
  const client = new Redis(servers.redisUrl, options)
  client.on('error', () => {})
  defer(t, () => client.quit().catch(() => {}))
  return client
}

export interface PlatformOptions {
  /** Processors to start with the gateway (more can be started later). */
  processors?: number
  gatewayEnv?: Record<string, string>
  processorEnv?: Record<string, string>
}

export async function startPlatform(
  t: TestContext,
  options: PlatformOptions = {}
): Promise<Platform> {
  const kafka = createKafka(t)
  const topics = await createTopics(t, kafka)
  const postgres = await createPostgresPool(t)
  const mongo = await connectMongo(t)
  const mongodb = mongo.db(uniqueName('test'))
  defer(t, () => mongodb.dropDatabase())
  const redis = redisClient(t)
  const redisKeyPrefix = `${uniqueName('test')}:`
  defer(t, async () => {
    const keys = await redis.keys(`${redisKeyPrefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  })
  const processorGroup = uniqueName('processor')

  const app = await buildApp({
    config: loadGatewayConfig({ GATEWAY_GROUP_ID: uniqueName('gateway'), ...options.gatewayEnv }),
    kafka,
    // The gateway's connections as its server makes them.
    redis: redisClient(t, commandRedisOptions),
    redisSubscriber: redisClient(t, subscriberRedisOptions),
    topics,
    logger: log
  })
  defer(t, () => app.close())
  await app.ready()

  const startProcessor = async () => {
    const processor = createProcessor({
      config: loadProcessorConfig({ PROCESSOR_GROUP_ID: processorGroup, ...options.processorEnv }),
      log,
      kafka,
      postgres,
      mongodb,
      redis: redisClient(t),
      topics,
      redisKeyPrefix
    })
    defer(t, () => processor.close())
    await processor.start()
    return processor
  }
  for (let i = 0; i < (options.processors ?? 1); i++) await startProcessor()
  return {
    app,
    kafka,
    topics,
    postgres,
    mongodb,
    redis,
    processorGroup,
    redisKeyPrefix,
    startProcessor
  }
}
