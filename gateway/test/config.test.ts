import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadGatewayConfig } from '../src/config.ts'

test('gateway config has working local defaults', () => {
  const config = loadGatewayConfig({})
  assert.equal(config.GATEWAY_PORT, 8000)
  assert.equal(config.KAFKA_BROKERS, '127.0.0.1:9092')
  assert.equal(config.STATUS_RETENTION_SECONDS, 86_400)
})

test('gateway config rejects a non-numeric retention', () => {
  assert.throws(
    () => loadGatewayConfig({ STATUS_RETENTION_SECONDS: 'a day' }),
    /STATUS_RETENTION_SECONDS/
  )
})
