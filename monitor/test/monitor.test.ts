import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { pino } from 'pino'
import { createElasticsearch, servers } from '../../test/helpers/servers.ts'
import { loadMonitorConfig } from '../src/config.ts'
import { createMonitor } from '../src/monitor.ts'

const log = pino({ level: 'silent' })

test('health is 503 while the consumer does not run, and names Kafka', async (t) => {
  const monitor = createMonitor({
    config: loadMonitorConfig({}),
    log,
    kafka: new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING }),
    elasticsearch: createElasticsearch(t),
    indexPrefix: 'never_used_'
  })
  t.after(() => monitor.close())
  const response = await monitor.health.inject({ url: '/health' })
  assert.equal(response.statusCode, 503)
  assert.deepEqual(response.json(), {
    status: 'unavailable',
    service: 'monitor',
    mode: 'elasticsearch',
    spooled: 0,
    indexed_per_second: 0,
    checks: { kafka: 'consumer not running', elasticsearch: 'ok' },
    failing: ['kafka']
  })
  const metrics = await monitor.health.inject({ url: '/metrics' })
  assert.equal(metrics.statusCode, 200)
  assert.match(metrics.body, /# TYPE monitor_indexed_documents_total counter/)
  assert.match(metrics.body, /monitor_spooled_documents 0/)
})

test('an index prefix that Elasticsearch would refuse is refused at once', () => {
  assert.throws(
    () =>
      createMonitor({
        config: loadMonitorConfig({}),
        log,
        kafka: new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING }),
        elasticsearch: undefined as never,
        indexPrefix: 'API*'
      }),
    /invalid index prefix/
  )
})
