import { closeOnSignals, kafkaLogCreator } from '@streaming/contracts'
import { Redis } from 'ioredis'
import { Kafka } from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { pino } from 'pino'
import { loadProcessorConfig } from './config.ts'
import { createProcessor } from './processor.ts'

const config = loadProcessorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'processor' } })

const kafka = new Kafka({
  clientId: 'processor',
  brokers: config.KAFKA_BROKERS.split(','),
  logCreator: kafkaLogCreator(log),
  connectionTimeout: 3_000
})
const postgres = new pg.Pool({
  connectionString: config.POSTGRES_URL,
  max: 16,
  connectionTimeoutMillis: 3_000
})
const mongo = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 3_000 })
// Auto-pipelining sends the commands of concurrent operations in one write: fewer round trips.
const redis = new Redis(config.REDIS_URL, {
  maxRetriesPerRequest: 2,
  connectTimeout: 3_000,
  enableAutoPipelining: true
})
// Errors surface on the calls that fail; the pool's idle-client errors must not crash the process.
postgres.on('error', (err) => log.warn({ err }, 'idle PostgreSQL client failed'))
redis.on('error', (err) => log.warn({ err }, 'Redis connection error'))

const processor = createProcessor({ config, log, kafka, postgres, mongodb: mongo.db(), redis })

closeOnSignals(log, async () => {
  await processor.close()
  await Promise.allSettled([postgres.end(), mongo.close(), redis.quit()])
})

try {
  await mongo.connect()
  await processor.start()
  await processor.listen()
} catch (err) {
  log.fatal({ err }, 'processor could not start')
  await Promise.allSettled([processor.close(), postgres.end(), mongo.close(), redis.quit()])
  process.exit(1)
}
