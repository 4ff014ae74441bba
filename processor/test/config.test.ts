import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelay, type RetryPolicy } from '@streaming/runtime'
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

const defaults = (): RetryPolicy => {
  const config = loadProcessorConfig({})
  return {
    attempts: config.PROCESSOR_RETRY_ATTEMPTS,
    baseDelayMs: config.PROCESSOR_RETRY_BASE_MS,
    maxDelayMs: config.PROCESSOR_RETRY_MAX_MS
  }
}

/** The time all retries of a policy wait in all, with the random part fixed. */
const totalWait = (policy: RetryPolicy, random: number) =>
  Array.from({ length: policy.attempts - 1 }, (_, i) =>
    backoffDelay(policy, i + 1, () => random)
  ).reduce((sum, delay) => sum + delay, 0)

test('the default retry policy waits longer than a store restart (about 5–7 s here), and is bounded', () => {
  const policy = defaults()
  assert.ok(totalWait(policy, 0) >= 8_000, `at least ${totalWait(policy, 0)} ms`)
  assert.ok(totalWait(policy, 1) <= 20_000, `at most ${totalWait(policy, 1)} ms`)
})
