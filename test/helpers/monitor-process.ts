// One monitor in a process of its own, for tests that kill it (SIGKILL: no close, no commit).
// Reads the monitor's usual environment plus TEST_TOPICS (JSON TopicNames) and
// TEST_INDEX_PREFIX; logs as JSON on stdout ("monitor consuming" once it consumes).
import { Client } from '@elastic/elasticsearch'
import type { TopicNames } from '@streaming/contracts'
import { kafkaLogCreator } from '@streaming/runtime'
import { Kafka } from 'kafkajs'
import { pino } from 'pino'
import { loadMonitorConfig } from '../../monitor/src/config.ts'
import { createMonitor } from '../../monitor/src/monitor.ts'

const config = loadMonitorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'monitor-under-test' } })
const topics = JSON.parse(process.env.TEST_TOPICS ?? '') as TopicNames
const kafka = new Kafka({
  clientId: 'monitor-under-test',
  brokers: config.KAFKA_BROKERS.split(','),
  logCreator: kafkaLogCreator(log.child({}, { level: 'warn' })),
  connectionTimeout: 3_000
})
const elasticsearch = new Client({ node: config.ELASTICSEARCH_URL })
const monitor = createMonitor({
  config,
  log,
  kafka,
  elasticsearch,
  topics,
  indexPrefix: process.env.TEST_INDEX_PREFIX ?? ''
})
await monitor.start()
