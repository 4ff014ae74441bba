import { kafkaLogCreator } from '@streaming/runtime'
import { Redis } from 'ioredis'
import { Kafka } from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import type { Logger } from 'pino'
import type { ProcessorConfig } from './config.ts'

/**
 * The processor's clients of Kafka and the stores, as the service runs them; `close()` ends the
 * store clients (Kafka's belong to the processor, which disconnects them itself).
 */
export function createProcessorClients(
  config: ProcessorConfig,
  log: Logger,
  clientId = 'processor'
) {
  const kafka = new Kafka({
    clientId,
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
  return {
    kafka,
    postgres,
    mongo,
    redis,
    async close(): Promise<void> {
      await Promise.allSettled([postgres.end(), mongo.close(), redis.quit()])
    }
  }
}
