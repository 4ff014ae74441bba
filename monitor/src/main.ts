import { Client } from '@elastic/elasticsearch'
import { closeOnSignals, kafkaLogCreator, stopKafkaIdleTimers } from '@streaming/runtime'
import { Kafka } from 'kafkajs'
import { pino } from 'pino'
import { loadMonitorConfig } from './config.ts'
import { createMonitor } from './monitor.ts'

const config = loadMonitorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'monitor' } })
stopKafkaIdleTimers()

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

closeOnSignals(log, async () => {
  await monitor.close()
  await elasticsearch.close()
})

try {
  await monitor.start()
  await monitor.listen()
} catch (err) {
  log.fatal({ err }, 'monitor could not start')
  await Promise.allSettled([monitor.close(), elasticsearch.close()])
  process.exit(1)
}
