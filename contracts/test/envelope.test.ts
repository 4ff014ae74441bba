import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { decodeReply, decodeRequest, requestEnvelope } from '../src/envelope.ts'

const request = (overrides: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  event_type: 'obter_recomendacoes',
  correlation_id: randomUUID(),
  timestamp: new Date().toISOString(),
  source: 'gateway',
  target: 'processor',
  version: 1,
  data: { user_id: 42 },
  ...overrides
})

test('a valid request decodes with its data checked against its operation', () => {
  const decoded = decodeRequest(Buffer.from(JSON.stringify(request())))
  assert.equal(decoded.ok, true)
})

test('each way a request can be unreadable has its own failure kind', () => {
  const cases: Array<[Buffer | null, string]> = [
    [null, 'empty'],
    [Buffer.from('{not json'), 'not-json'],
    [Buffer.from(JSON.stringify(request({ event_type: 'apagar_tudo' }))), 'unknown-event-type'],
    [Buffer.from(JSON.stringify(request({ version: 2 }))), 'invalid-envelope'],
    [Buffer.from(JSON.stringify(request({ data: { user_id: 'x' } }))), 'invalid-data']
  ]
  for (const [raw, failure] of cases) {
    const decoded = decodeRequest(raw)
    assert.equal(decoded.ok, false)
    if (!decoded.ok) assert.equal(decoded.failure, failure, String(raw))
  }
})

test('a failure keeps a readable correlation id, so the sender can be answered', () => {
  const message = request({ data: { user_id: -1 } })
  const decoded = decodeRequest(JSON.stringify(message))
  assert.ok(!decoded.ok)
  assert.equal(decoded.correlationId, message.correlation_id)
  assert.match(decoded.reason, /data\/user_id/)
})

test('a reply must carry the reply fields', () => {
  assert.equal(decodeReply(JSON.stringify(request())).ok, false)
})

test('a built request envelope is one decodeRequest accepts', () => {
  const envelope = requestEnvelope('obter_recomendacoes', { user_id: 42 })
  const decoded = decodeRequest(JSON.stringify(envelope))
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason)
  assert.deepEqual(decoded.value, envelope)
  assert.equal(envelope.source, 'gateway')
  assert.equal(envelope.target, 'processor')
  assert.equal(envelope.version, 1)
  assert.ok(Math.abs(Date.parse(envelope.timestamp) - Date.now()) < 60_000)
  const other = requestEnvelope('obter_recomendacoes', { user_id: 42 })
  assert.notEqual(other.event_id, envelope.event_id)
  assert.notEqual(other.correlation_id, envelope.correlation_id)
})

test('a request envelope keeps the ids and time it is given', () => {
  const ids = { eventId: randomUUID(), correlationId: randomUUID() }
  const timestamp = '2026-11-24T10:00:00.000Z'
  const envelope = requestEnvelope(
    'encerrar_sessao',
    { session_id: ids.eventId },
    {
      ...ids,
      timestamp
    }
  )
  assert.equal(envelope.event_id, ids.eventId)
  assert.equal(envelope.correlation_id, ids.correlationId)
  assert.equal(envelope.timestamp, timestamp)
  assert.equal(envelope.event_type, 'encerrar_sessao')
})
