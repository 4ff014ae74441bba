import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kafkaRequestQueueClass, stopKafkaIdleTimers } from '../src/kafka-request-queue.ts'

const quiet = { debug() {}, info() {}, warn() {}, error() {} }

function queue(t: import('node:test').TestContext) {
  const RequestQueue = kafkaRequestQueueClass()
  const created = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: quiet
  })
  t.after(() => created.destroy())
  return created
}

// First, before the fix is applied in this process: the behaviour it exists for.
test('kafkajs alone arms a timer with nothing pending and no throttle', (t) => {
  const idle = queue(t)
  idle.throttledUntil = Date.now()
  idle.scheduleCheckPendingRequests()
  assert.ok(idle.throttleCheckTimeoutId, 'kafkajs no longer loops: the fix can go')
})

test('with nothing pending and no throttle, no timer is armed', (t) => {
  stopKafkaIdleTimers()
  stopKafkaIdleTimers()
  const idle = queue(t)
  idle.scheduleCheckPendingRequests()
  assert.equal(idle.throttleCheckTimeoutId, null)
})

test('a waiting request is checked again after 10 ms; a throttle is waited out', async (t) => {
  stopKafkaIdleTimers()
  const waiting = queue(t)
  let checks = 0
  waiting.checkPendingRequests = () => {
    checks++
  }
  waiting.pending.push({})
  waiting.scheduleCheckPendingRequests()
  assert.ok(waiting.throttleCheckTimeoutId, 'armed')
  await new Promise((resolve) => setTimeout(resolve, 40))
  assert.equal(checks, 1)
  assert.equal(waiting.throttleCheckTimeoutId, null, 'fired once, not re-armed by itself')

  const throttled = queue(t)
  throttled.throttledUntil = Date.now() + 60_000
  throttled.scheduleCheckPendingRequests()
  const timer = throttled.throttleCheckTimeoutId as unknown as { _idleTimeout: number } | null
  assert.ok(timer, 'armed until the throttle ends')
  assert.ok(timer._idleTimeout > 50_000, `waits out the throttle (${timer._idleTimeout} ms)`)
})
