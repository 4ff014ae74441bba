import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { Topic } from '@streaming/contracts'
import {
  documentId,
  latencyMs,
  rejectedAction,
  toIndexAction,
  type KafkaRecord
} from '../src/documents.ts'

const correlationId = randomUUID()

const request = {
  event_id: randomUUID(),
  event_type: 'criar_usuario',
  correlation_id: correlationId,
  timestamp: '2026-11-24T10:00:00.000Z',
  source: 'gateway',
  target: 'processor',
  version: 1,
  data: {
    user_id: 123456,
    nome: 'Maria Souza',
    email: 'maria@example.com',
    cpf: '52998224725',
    data_criacao: '2026-11-24T10:00:00.000Z'
  }
}

const reply = {
  event_id: randomUUID(),
  event_type: 'response',
  correlation_id: correlationId,
  timestamp: '2026-11-24T10:00:00.250Z',
  source: 'processor',
  target: 'gateway',
  version: 1,
  original_event_type: 'criar_usuario',
  request_event_id: request.event_id,
  request_timestamp: request.timestamp,
  status: 'success',
  message: 'Usuário 123456 criado',
  duration_ms: 12.5,
  data: { user_id: 123456 }
}

const record = (topic: string, value: unknown, offset = '7'): KafkaRecord => ({
  topic,
  partition: 2,
  offset,
  timestamp: String(Date.parse('2026-11-24T10:00:01.000Z')),
  key: Buffer.from('123456'),
  value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))
})

test('document ids come from topic, partition and offset only', () => {
  assert.equal(documentId('user_events', 2, '7'), 'user_events-2-7')
  const first = toIndexAction(record(Topic.requests, request), Topic, 'api_')
  const again = toIndexAction(record(Topic.requests, request), Topic, 'api_')
  assert.equal(first.id, 'user_events-2-7')
  assert.equal(again.id, first.id, 'a redelivery has the same id')
  assert.notEqual(toIndexAction(record(Topic.requests, request, '8'), Topic, 'api_').id, first.id)
})

test('a request document carries the SPEC fields and the whole event unindexed', () => {
  const indexedAt = '2026-11-24T10:00:01.500Z'
  const action = toIndexAction(record(Topic.requests, request), Topic, 'api_', indexedAt)
  assert.equal(action.index, 'api_usuario')
  assert.deepEqual(
    { ...action.document, payload: undefined },
    {
      timestamp: request.timestamp,
      topic: 'user_events',
      partition: 2,
      offset: 7,
      kafka_timestamp: '2026-11-24T10:00:01.000Z',
      indexed_at: indexedAt,
      key: '123456',
      malformed: false,
      transaction_id: correlationId,
      user_id: '123456',
      event_id: request.event_id,
      event_type: 'criar_usuario',
      operation: 'criar_usuario',
      source: 'gateway',
      target: 'processor',
      payload: undefined
    }
  )
  assert.deepEqual(action.document.payload, request)
})

test('a reply goes to its operation index with latency and operation', () => {
  const action = toIndexAction(record(Topic.responses, reply), Topic, 'api_')
  assert.equal(action.index, 'api_criar_usuario_responses')
  assert.equal(action.id, 'response_events-2-7')
  const doc = action.document
  assert.equal(doc.latency_ms, 250, 'reply timestamp − request timestamp')
  assert.equal(doc.operation, 'criar_usuario')
  assert.equal(doc.original_event_type, 'criar_usuario')
  assert.equal(doc.event_type, 'response')
  assert.equal(doc.status, 'success')
  assert.equal(doc.message, 'Usuário 123456 criado')
  assert.equal(doc.duration_ms, 12.5)
  assert.equal(doc.transaction_id, correlationId)
  assert.equal(doc.timestamp, reply.timestamp)
  assert.equal(doc.malformed, false)

  const { request_timestamp: _omitted, ...withoutRequestTime } = reply
  const unknownLatency = toIndexAction(record(Topic.responses, withoutRequestTime), Topic, 'api_')
  assert.equal(unknownLatency.document.latency_ms, undefined, 'no request time, no latency')
})

test("user_id: the request's, or the one a reply's result names, as text", () => {
  // A generated id has 16 digits: as text it stays exact.
  const userId = 1796166888499061
  const userOf = (topic: string, event: unknown) =>
    toIndexAction(record(topic, event), Topic, 'api_').document.user_id
  const created = { ...request, data: { ...request.data, user_id: userId } }
  assert.equal(userOf(Topic.requests, created), '1796166888499061')
  assert.equal(
    userOf(Topic.responses, { ...reply, data: { usuario: { user_id: userId, nome: 'Maria' } } }),
    '1796166888499061',
    'a record the result holds'
  )
  assert.equal(
    userOf(Topic.responses, { ...reply, data: { user_id: userId, total: 0, historico: [] } }),
    '1796166888499061',
    'the result itself'
  )
  assert.equal(
    userOf(Topic.responses, { ...reply, status: 'error', data: {} }),
    undefined,
    'an error reply names no user'
  )
  const session = {
    ...request,
    event_type: 'atualizar_atividade_sessao',
    data: { session_id: randomUUID() }
  }
  assert.equal(userOf(Topic.requests, session), undefined, 'a request about a session names none')
  assert.equal(userOf(Topic.deadLetters, created), '1796166888499061', 'a readable dead letter')
  assert.equal(
    userOf(Topic.requests, { ...created, event_type: 'apagar_tudo' }),
    undefined,
    'nothing is taken from a malformed event'
  )
})

test('indexed_at: the time the document was built, unless given', () => {
  const before = Date.now()
  const { document } = toIndexAction(record(Topic.responses, reply), Topic, 'api_')
  const indexedAt = Date.parse(document.indexed_at ?? '')
  assert.ok(indexedAt >= before && indexedAt <= Date.now(), document.indexed_at)
  const malformed = toIndexAction(record(Topic.requests, null), Topic, 'api_', 'x')
  assert.equal(malformed.document.indexed_at, 'x', 'malformed documents too')
})

test('latency is reply time minus request time, never negative', () => {
  assert.equal(latencyMs('2026-11-24T10:00:01.500Z', '2026-11-24T10:00:00.000Z'), 1500)
  assert.equal(latencyMs('2026-11-24T10:00:00.000Z', '2026-11-24T10:00:00.020Z'), 0)
  assert.equal(latencyMs('2026-11-24T10:00:00.000Z'), undefined)
  assert.equal(latencyMs('2026-11-24T10:00:00.000Z', 'not a date'), undefined)
})

test('a reply to an unknown operation goes to the shared index, its operation kept', () => {
  const action = toIndexAction(
    record(Topic.responses, { ...reply, original_event_type: 'tipo_inventado', status: 'error' }),
    Topic,
    'api_'
  )
  assert.equal(action.index, 'api_unknown_responses')
  assert.equal(action.document.operation, 'tipo_inventado')
})

test('a message that is not JSON is malformed, raw text kept', () => {
  const action = toIndexAction(record(Topic.requests, Buffer.from('{nope')), Topic, 'api_')
  assert.equal(action.index, 'api_malformed')
  assert.equal(action.id, 'user_events-2-7')
  assert.equal(action.document.malformed, true)
  assert.equal(action.document.error_code, 'not-json')
  assert.equal(action.document.raw, '{nope')
  assert.equal(action.document.raw_encoding, 'utf8')
  assert.equal(action.document.timestamp, '2026-11-24T10:00:01.000Z', 'the Kafka record time')
})

test('bytes that are not UTF-8 are kept as base64', () => {
  const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x81])
  const action = toIndexAction(record(Topic.responses, bytes), Topic, 'api_')
  assert.equal(action.index, 'api_malformed')
  assert.equal(action.document.raw_encoding, 'base64')
  assert.deepEqual(Buffer.from(action.document.raw ?? '', 'base64'), bytes)
})

test('an empty message is malformed too', () => {
  const action = toIndexAction(record(Topic.requests, null), Topic, 'api_')
  assert.equal(action.document.malformed, true)
  assert.equal(action.document.error_code, 'empty')
  assert.equal(action.document.raw, '')
})

test('a JSON message of the wrong schema is malformed but keeps what can be read', () => {
  const wrong = { ...request, event_type: 'apagar_tudo' }
  const action = toIndexAction(record(Topic.requests, wrong), Topic, 'api_')
  assert.equal(action.index, 'api_malformed')
  assert.equal(action.document.error_code, 'unknown-event-type')
  assert.equal(action.document.transaction_id, correlationId)
  assert.equal(action.document.event_type, 'apagar_tudo')
  assert.deepEqual(action.document.payload, wrong)

  const badReply = toIndexAction(
    record(Topic.responses, { ...reply, status: 'talvez' }),
    Topic,
    'api_'
  )
  assert.equal(badReply.index, 'api_malformed')
  assert.equal(badReply.document.error_code, 'invalid-envelope')
  assert.equal(badReply.document.transaction_id, correlationId)
})

test('dead letters go to their own index, readable or not, with the reason', () => {
  const headers = {
    'x-dead-letter-reason': 'message is not JSON',
    'x-dead-letter-code': 'not-json'
  }
  const unreadable = toIndexAction(
    { ...record(Topic.deadLetters, Buffer.from('lixo')), headers },
    Topic,
    'api_'
  )
  assert.equal(unreadable.index, 'api_dead_letters')
  assert.equal(unreadable.id, 'user_events.dlq-2-7')
  assert.equal(unreadable.document.malformed, true)
  assert.equal(unreadable.document.raw, 'lixo')
  assert.equal(unreadable.document.message, 'message is not JSON')
  assert.equal(unreadable.document.error_code, 'not-json')
  assert.deepEqual(unreadable.document.headers, headers)

  const readable = toIndexAction(
    {
      ...record(Topic.deadLetters, request),
      headers: {
        'x-dead-letter-reason': 'retries exhausted',
        'x-dead-letter-code': 'RETRIES_EXHAUSTED'
      }
    },
    Topic,
    'api_'
  )
  assert.equal(readable.index, 'api_dead_letters')
  assert.equal(readable.document.malformed, false)
  assert.equal(readable.document.operation, 'criar_usuario')
  assert.equal(readable.document.error_code, 'RETRIES_EXHAUSTED')
})

test('other topic names (tests use their own) are recognised through TopicNames', () => {
  const topics = { requests: 't.req', responses: 't.resp', deadLetters: 't.dlq' }
  assert.equal(toIndexAction(record('t.req', request), topics, 'x_').index, 'x_usuario')
  assert.equal(
    toIndexAction(record('t.resp', reply), topics, 'x_').index,
    'x_criar_usuario_responses'
  )
  assert.equal(toIndexAction(record('t.dlq', request), topics, 'x_').index, 'x_dead_letters')
})

test('a document Elasticsearch refused becomes a malformed one with the same id', () => {
  const action = toIndexAction(record(Topic.responses, reply), Topic, 'api_')
  const rejected = rejectedAction(action, 'document_parsing_exception: bad date', 'api_')
  assert.equal(rejected.index, 'api_malformed')
  assert.equal(rejected.id, action.id)
  assert.equal(rejected.document.malformed, true)
  assert.equal(rejected.document.error_code, 'rejected')
  assert.match(rejected.document.error ?? '', /api_criar_usuario_responses.*bad date/)
  assert.equal(rejected.document.transaction_id, correlationId)
  assert.deepEqual(JSON.parse(rejected.document.raw ?? ''), action.document)
})
