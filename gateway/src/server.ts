import { closeOnSignals, kafkaLogCreator, stopKafkaIdleTimers } from '@streaming/runtime'
import { Redis } from 'ioredis'
import { Kafka } from 'kafkajs'
import { pino } from 'pino'
import { buildApp } from './app.ts'
import { loadGatewayConfig } from './config.ts'
import { commandRedisOptions, subscriberRedisOptions } from './redis-options.ts'

const config = loadGatewayConfig()
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'gateway' } })
stopKafkaIdleTimers()

const kafka = new Kafka({
  clientId: 'gateway',
  brokers: config.KAFKA_BROKERS.split(','),
  logCreator: kafkaLogCreator(logger),
  connectionTimeout: 3_000,
  requestTimeout: config.KAFKA_ACK_TIMEOUT_MS
})
const redis = new Redis(config.REDIS_URL, commandRedisOptions)
const redisSubscriber = new Redis(config.REDIS_URL, subscriberRedisOptions)
redis.on('error', (err) => logger.warn({ err }, 'Redis connection error'))
redisSubscriber.on('error', (err) => logger.warn({ err }, 'Redis subscriber connection error'))

const app = await buildApp({ config, kafka, redis, redisSubscriber, logger }).catch((err) => {
  logger.fatal({ err }, 'gateway could not start')
  process.exit(1)
})

// Closing stops accepting requests (503 while closing), finishes in-flight produces, then the clients.
closeOnSignals(logger, () => app.close())

try {
  await app.listen({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT })
} catch (err) {
  app.log.fatal({ err }, 'gateway could not start')
  await app.close().catch(() => {})
  process.exit(1)
}
