import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadMonitorConfig } from '../src/config.ts'

test('monitor config has working local defaults', () => {
  const config = loadMonitorConfig({})
  assert.equal(config.MONITOR_PORT, 8002)
  assert.equal(config.ELASTICSEARCH_URL, 'http://127.0.0.1:9200')
})

test('monitor config rejects an unknown log level', () => {
  assert.throws(() => loadMonitorConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL="loud"/)
})
