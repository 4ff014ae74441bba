import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Topic } from '@streaming/contracts'
import type { EventDocument } from '../src/documents.ts'
import { buildTrace } from '../src/transaction-trace.ts'

const id = '5b0c3f4e-8a1d-4c2e-9f6a-2d7e1b3c4a5f'

const request: EventDocument = {
  timestamp: '2026-11-24T10:00:00.000Z',
  kafka_timestamp: '2026-11-24T10:00:00.010Z',
  indexed_at: '2026-11-24T10:00:00.400Z',
  topic: Topic.requests,
  partition: 1,
  offset: 40,
  malformed: false,
  transaction_id: id,
  user_id: '123456',
  event_type: 'criar_usuario',
  operation: 'criar_usuario',
  payload: { event_type: 'criar_usuario' }
}

const reply: EventDocument = {
  timestamp: '2026-11-24T10:00:00.200Z',
  kafka_timestamp: '2026-11-24T10:00:00.210Z',
  indexed_at: '2026-11-24T10:00:00.900Z',
  topic: Topic.responses,
  partition: 1,
  offset: 41,
  malformed: false,
  transaction_id: id,
  event_type: 'response',
  operation: 'criar_usuario',
  status: 'success',
  message: 'Usuário 123456 criado',
  duration_ms: 12.5,
  latency_ms: 200
}

test('a request and its reply: outcome, times and the five stages', () => {
  const trace = buildTrace(id, [request, reply], Topic)
  assert.equal(trace.correlation_id, id)
  assert.equal(trace.operation, 'criar_usuario')
  assert.equal(trace.status, 'success')
  assert.equal(trace.user_id, '123456')
  assert.equal(trace.processing_time_ms, 12.5)
  assert.equal(trace.end_to_end_latency_ms, 200)
  assert.deepEqual(trace.timeline, [
    { stage: 'accepted', at: request.timestamp },
    { stage: 'published', at: request.kafka_timestamp },
    { stage: 'processed', at: reply.timestamp },
    { stage: 'replied', at: reply.kafka_timestamp },
    { stage: 'indexed', at: reply.indexed_at }
  ])
  assert.deepEqual(
    trace.events.map(({ kind, offset }) => [kind, offset]),
    [
      ['request', 40],
      ['reply', 41]
    ]
  )
  assert.deepEqual(trace.events[1], {
    kind: 'reply',
    topic: Topic.responses,
    partition: 1,
    offset: 41,
    timestamp: reply.timestamp,
    kafka_timestamp: reply.kafka_timestamp,
    indexed_at: reply.indexed_at,
    event_type: 'response',
    status: 'success',
    message: 'Usuário 123456 criado',
    error: null,
    error_code: null,
    duration_ms: 12.5,
    latency_ms: 200,
    payload: null
  })
})

test('without a reply the transaction is pending, and only the stages that happened are listed', () => {
  const trace = buildTrace(id, [{ ...request, indexed_at: 'not a date' }], Topic)
  assert.equal(trace.status, 'pending')
  assert.equal(trace.processing_time_ms, null)
  assert.equal(trace.end_to_end_latency_ms, null)
  assert.deepEqual(
    trace.timeline.map(({ stage }) => stage),
    ['accepted', 'published'],
    'an unreadable indexed_at is no stage'
  )
})

test('the first reply decides: a redelivery answered again does not change the outcome', () => {
  const again = { ...reply, offset: 57, status: 'error', timestamp: '2026-11-24T10:05:00.000Z' }
  const trace = buildTrace(id, [request, reply, again], Topic)
  assert.equal(trace.status, 'success')
  assert.equal(trace.timeline.find(({ stage }) => stage === 'processed')?.at, reply.timestamp)
})

test('dead letters and malformed documents are told apart from requests', () => {
  const unreadable: EventDocument = {
    timestamp: '2026-11-24T10:00:00.010Z',
    kafka_timestamp: '2026-11-24T10:00:00.010Z',
    topic: Topic.requests,
    partition: 0,
    offset: 3,
    malformed: true,
    transaction_id: id,
    event_type: 'apagar_tudo',
    error: 'unknown event type',
    error_code: 'unknown-event-type'
  }
  const deadLetter: EventDocument = {
    ...unreadable,
    topic: Topic.deadLetters,
    offset: 9,
    kafka_timestamp: '2026-11-24T10:00:00.300Z',
    message: 'message is not a valid event'
  }
  const trace = buildTrace(id, [unreadable, deadLetter], Topic)
  assert.deepEqual(
    trace.events.map(({ kind }) => kind),
    ['malformed', 'dead_letter']
  )
  assert.equal(trace.operation, 'apagar_tudo', 'the event type of what was sent, if nothing else')
  assert.deepEqual(
    trace.timeline,
    [{ stage: 'published', at: unreadable.kafka_timestamp }],
    'an unreadable request was still published'
  )
  assert.equal(trace.user_id, null)
  assert.equal(trace.events[1]?.error_code, 'unknown-event-type')
})

test("a reply alone names the operation, and another document the user when the request can't", () => {
  const topics = { requests: 'r', responses: 's', deadLetters: 'd' }
  const trace = buildTrace(
    id,
    [
      { ...reply, topic: 's', user_id: '42' },
      { ...request, topic: 'd', operation: undefined, user_id: undefined }
    ],
    topics
  )
  assert.equal(trace.operation, 'criar_usuario')
  assert.equal(trace.user_id, '42')
  assert.deepEqual(
    trace.events.map(({ kind }) => kind),
    ['reply', 'dead_letter'],
    'the topics given decide the kinds'
  )
})
