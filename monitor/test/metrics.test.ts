import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMonitorMetrics, createRateMeter, type MonitorState } from '../src/metrics.ts'

test('the gauges read the monitor at scrape time', async () => {
  let lagAnswers = true
  const state: MonitorState = {
    mode: () => 'fallback',
    spooled: () => 42,
    indexedPerSecond: () => 12.5,
    consumerLag: async () => {
      if (!lagAnswers) throw new Error('kafka away')
      return [{ topic: 'user_events', partition: 3, lag: 7 }]
    }
  }
  const { registry } = createMonitorMetrics(state)
  const text = await registry.metrics()
  assert.match(text, /^monitor_mode\{mode="fallback"\} 1$/m)
  assert.match(text, /^monitor_mode\{mode="elasticsearch"\} 0$/m)
  assert.match(text, /^monitor_spooled_documents 42$/m)
  assert.match(text, /^monitor_indexed_per_second 12.5$/m)
  assert.match(text, /^monitor_consumer_lag\{topic="user_events",partition="3"\} 7$/m)

  lagAnswers = false
  assert.doesNotMatch(
    await registry.metrics(),
    /^monitor_consumer_lag\{/m,
    'no lag series when Kafka does not answer, rather than the last one'
  )
})

test('the rate is the average per second over the last complete seconds of the window', () => {
  let now = 100_000
  const meter = createRateMeter(10, () => now)
  meter.add(30)
  assert.equal(meter.perSecond(), 0, 'the current second is not complete yet')
  now += 1_000
  meter.add(20)
  assert.equal(meter.perSecond(), 3, '30 over 10 s')
  now += 1_000
  assert.equal(meter.perSecond(), 5, '50 over 10 s')
  now += 10_000
  assert.equal(meter.perSecond(), 0, 'both seconds left the window')
})

test('without a monitor to read, the gauges say nothing is in hand', async () => {
  const text = await createMonitorMetrics().registry.metrics()
  assert.match(text, /^monitor_mode\{mode="elasticsearch"\} 0$/m)
  assert.match(text, /^monitor_mode\{mode="fallback"\} 0$/m)
  assert.match(text, /^monitor_spooled_documents 0$/m)
  assert.match(text, /^monitor_indexed_per_second 0$/m)
  assert.doesNotMatch(text, /^monitor_consumer_lag\{/m)
})
