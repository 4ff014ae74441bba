import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DeadLetterHeader, Topic, topicPartitions } from '../src/topics.ts'

test('topics and partition counts as SPEC.md has them', () => {
  assert.deepEqual(topicPartitions, { user_events: 3, response_events: 3, 'user_events.dlq': 1 })
  assert.equal(Topic.deadLetters, 'user_events.dlq')
})

test('the dead-letter headers keep their wire names', () => {
  assert.deepEqual(DeadLetterHeader, {
    reason: 'x-dead-letter-reason',
    code: 'x-dead-letter-code',
    originalTopic: 'x-original-topic',
    originalPartition: 'x-original-partition',
    originalOffset: 'x-original-offset'
  })
})
