import { kafkaLogCreator } from '@streaming/contracts'
import { Redis } from 'ioredis'
import { Kafka } from 'kafkajs'
import { pino } from 'pino'
import { buildApp } from './app.ts'
import { loadGatewayConfig } from './config.ts'

const config = loadGatewayConfig()
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'gateway' } })

const kafka = new Kafka({
  clientId: 'gateway',
  brokers: config.KAFKA_BROKERS.split(','),
  logCreator: kafkaLogCreator(logger),
  connectionTimeout: 3_000,
  requestTimeout: config.KAFKA_ACK_TIMEOUT_MS
})
const redisOptions = { maxRetriesPerRequest: 1, connectTimeout: 3_000 }
const redis = new Redis(config.REDIS_URL, redisOptions)
const redisSubscriber = new Redis(config.REDIS_URL, redisOptions)
redis.on('error', (err) => logger.warn({ err }, 'Redis connection error'))
redisSubscriber.on('error', (err) => logger.warn({ err }, 'Redis subscriber connection error'))

const app = await buildApp({ config, kafka, redis, redisSubscriber, logger })

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  app.log.info({ signal }, 'shutting down: no new requests, finishing in-flight produces')
  const force = setTimeout(() => {
    app.log.error('shutdown took longer than 30 s; exiting')
    process.exit(1)
  }, 30_000)
  force.unref()
  try {
    await app.close()
    process.exit(0)
  } catch (err) {
    app.log.error({ err }, 'shutdown failed')
    process.exit(1)
  }
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown(signal).catch(() => process.exit(1))
  })
}

try {
  await app.listen({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT })
} catch (err) {
  app.log.fatal({ err }, 'gateway could not start')
  await app.close().catch(() => {})
  process.exit(1)
}
