import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelay, createBackoff, withRetry } from '../src/backoff.ts'

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

test('without jitter each delay is the doubling, capped delay; base equal to max is a fixed delay', () => {
  const doubling = { baseDelayMs: 200, maxDelayMs: 5_000, jitter: 'none' } as const
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(doubling, attempt, () => 0)),
    [200, 400, 800, 1_600, 3_200, 5_000, 5_000]
  )
  const fixed = { baseDelayMs: 2_000, maxDelayMs: 2_000, jitter: 'none' } as const
  assert.deepEqual(
    [1, 2, 50, 5_000].map((attempt) => backoffDelay(fixed, attempt)),
    [2_000, 2_000, 2_000, 2_000]
  )
})

test('createBackoff doubles at each failure and starts again after reset', () => {
  const backoff = createBackoff({ baseDelayMs: 100, maxDelayMs: 500, jitter: 'none' })
  assert.deepEqual(
    [backoff.next(), backoff.next(), backoff.next(), backoff.next()],
    [100, 200, 400, 500]
  )
  backoff.reset()
  assert.equal(backoff.next(), 100)
  const jittered = createBackoff({ baseDelayMs: 100, maxDelayMs: 500 }, () => 0)
  assert.deepEqual([jittered.next(), jittered.next()], [50, 100])
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
