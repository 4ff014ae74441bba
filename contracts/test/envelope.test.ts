import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { decodeReply, decodeRequest } from '../src/envelope.ts'

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
