// One processor in a process of its own, for drills that kill it (SIGKILL: no close, no commit).
// Built like processor/src/main.ts from the processor's usual environment (POSTGRES_URL and
// MONGO_URL name the drill's own databases) plus TEST_TOPICS (JSON TopicNames) and
// TEST_REDIS_KEY_PREFIX; logs as JSON on stdout, "processor under test ready" with the address of
// its health and metrics server (PROCESSOR_PORT, 0 for any) once it consumes.
import { closeOnSignals, kafkaLogCreator, type TopicNames } from '@streaming/contracts'
import { Redis } from 'ioredis'
import { Kafka } from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { pino } from 'pino'
import { loadProcessorConfig } from '../../processor/src/config.ts'
import { createProcessor } from '../../processor/src/processor.ts'

const config = loadProcessorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'processor-under-test' } })
const topics = JSON.parse(process.env.TEST_TOPICS ?? '') as TopicNames

const kafka = new Kafka({
  clientId: 'processor-under-test',
  brokers: config.KAFKA_BROKERS.split(','),
  logCreator: kafkaLogCreator(log.child({}, { level: 'warn' })),
  connectionTimeout: 3_000
})
const postgres = new pg.Pool({
  connectionString: config.POSTGRES_URL,
  max: 10,
  connectionTimeoutMillis: 3_000
})
const mongo = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 3_000 })
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 3_000 })
postgres.on('error', (err) => log.warn({ err }, 'idle PostgreSQL client failed'))
redis.on('error', (err) => log.warn({ err }, 'Redis connection error'))

const processor = createProcessor({
  config,
  log,
  kafka,
  postgres,
  mongodb: mongo.db(),
  redis,
  topics,
  redisKeyPrefix: process.env.TEST_REDIS_KEY_PREFIX ?? ''
})

closeOnSignals(log, async () => {
  await processor.close()
  await Promise.allSettled([postgres.end(), mongo.close(), redis.quit()])
})

await mongo.connect()
await processor.start()
log.info({ address: await processor.listen() }, 'processor under test ready')
