import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadProcessorConfig } from '../../processor/src/config.ts'
import { backoffDelay, withRetry, type RetryPolicy } from '../src/backoff.ts'

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

test('each delay lies between half and all of the doubling, capped delay', () => {
  const policy = { attempts: 8, baseDelayMs: 200, maxDelayMs: 5_000 }
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(policy, attempt, () => 0)),
    [100, 200, 400, 800, 1_600, 2_500, 2_500]
  )
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(policy, attempt, () => 1)),
    [200, 400, 800, 1_600, 3_200, 5_000, 5_000]
  )
})

test('the default policy waits longer than a store restart (about 5–7 s here), and is bounded', () => {
  const policy = defaults()
  assert.ok(totalWait(policy, 0) >= 8_000, `at least ${totalWait(policy, 0)} ms`)
  assert.ok(totalWait(policy, 1) <= 20_000, `at most ${totalWait(policy, 1)} ms`)
})

test('retries a retryable failure until the attempts run out, a permanent one never', async () => {
  const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }
  let calls = 0
  await assert.rejects(
    withRetry(
      async () => {
        calls++
        throw new Error('down')
      },
      policy,
      () => true
    ),
    /down/
  )
  assert.equal(calls, 3)

  calls = 0
  await assert.rejects(
    withRetry(
      async () => {
        calls++
        throw new Error('not found')
      },
      policy,
      () => false
    ),
    /not found/
  )
  assert.equal(calls, 1)

  calls = 0
  const value = await withRetry(
    async () => {
      if (++calls < 2) throw new Error('blip')
      return 'done'
    },
    policy,
    () => true
  )
  assert.equal(value, 'done')
  assert.equal(calls, 2)
})
