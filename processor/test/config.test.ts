import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadProcessorConfig } from '../src/config.ts'

test('processor config has working local defaults', () => {
  const config = loadProcessorConfig({})
  assert.equal(config.PROCESSOR_PORT, 8001)
  assert.equal(config.SESSION_TTL_SECONDS, 1_800)
  assert.match(config.POSTGRES_URL, /^postgres:\/\//)
})

test('processor config takes addresses from the environment', () => {
  const config = loadProcessorConfig({ MONGO_URL: 'mongodb://db:27017/x', PROCESSOR_PORT: '9001' })
  assert.equal(config.MONGO_URL, 'mongodb://db:27017/x')
  assert.equal(config.PROCESSOR_PORT, 9001)
})
