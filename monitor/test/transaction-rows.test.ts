import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EventDocument } from '../src/documents.ts'
import { newestPerTransaction } from '../src/transaction-rows.ts'

const reply = (transaction: string, timestamp: string, status = 'success') =>
  ({
    transaction_id: transaction,
    operation: 'criar_usuario',
    status,
    user_id: '1234567890123456',
    latency_ms: 12,
    duration_ms: 4,
    timestamp,
    message: 'ok'
  }) as unknown as EventDocument

test('recent rows: the newest reply of each transaction, newest first', () => {
  const rows = newestPerTransaction([
    reply('b', '2026-12-02T10:00:03.000Z'),
    // A redelivered request answered again: one row, the newest reply.
    reply('a', '2026-12-02T10:00:02.000Z', 'error'),
    reply('a', '2026-12-02T10:00:01.000Z'),
    undefined,
    { timestamp: '2026-12-02T10:00:00.500Z' } as unknown as EventDocument,
    reply('c', '2026-12-02T10:00:00.000Z')
  ])
  assert.deepEqual(
    rows.map(({ correlation_id: id, status, timestamp }) => [id, status, timestamp]),
    [
      ['b', 'success', '2026-12-02T10:00:03.000Z'],
      ['a', 'error', '2026-12-02T10:00:02.000Z'],
      ['c', 'success', '2026-12-02T10:00:00.000Z']
    ]
  )
  assert.deepEqual(rows[0], {
    correlation_id: 'b',
    operation: 'criar_usuario',
    status: 'success',
    user_id: '1234567890123456',
    latency_ms: 12,
    processing_time_ms: 4,
    timestamp: '2026-12-02T10:00:03.000Z',
    message: 'ok'
  })
})
