import { Client } from '@elastic/elasticsearch'
import { kafkaLogCreator } from '@streaming/contracts'
import { Kafka } from 'kafkajs'
import { pino } from 'pino'
import { loadMonitorConfig } from './config.ts'
import { createMonitor } from './monitor.ts'

const config = loadMonitorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'monitor' } })

const kafka = new Kafka({
  clientId: 'monitor',
  brokers: config.KAFKA_BROKERS.split(','),
  logCreator: kafkaLogCreator(log),
  connectionTimeout: 3_000
})
// Requests carry their own timeouts and retry policy (the monitor decides when to fall back).
const elasticsearch = new Client({
  node: config.ELASTICSEARCH_URL,
  requestTimeout: config.MONITOR_ES_TIMEOUT_MS
})

const monitor = createMonitor({ config, log, kafka, elasticsearch })

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  log.info({ signal }, 'shutting down')
  const force = setTimeout(() => {
    log.error('shutdown took longer than 30 s; exiting')
    process.exit(1)
  }, 30_000)
  force.unref()
  try {
    await monitor.close()
    await elasticsearch.close()
    log.info('stopped')
    process.exit(0)
  } catch (err) {
    log.error({ err }, 'shutdown failed')
    process.exit(1)
  }
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown(signal).catch(() => process.exit(1))
  })
}

try {
  await monitor.start()
  await monitor.listen()
} catch (err) {
  log.fatal({ err }, 'monitor could not start')
  await Promise.allSettled([monitor.close(), elasticsearch.close()])
  process.exit(1)
}
