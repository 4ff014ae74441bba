import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HttpErrorCode, httpErrorCatalogue, httpErrorCodesOf } from '../src/error-codes.ts'

test("each service's codes: the shared layer's for all three, its own for one", () => {
  const gateway = httpErrorCodesOf('gateway')
  const processor = httpErrorCodesOf('processor')
  const monitor = httpErrorCodesOf('monitor')
  for (const code of Object.values(HttpErrorCode)) {
    for (const codes of [gateway, processor, monitor]) assert.ok(codes.includes(code), code)
  }
  assert.deepEqual(processor.toSorted(), Object.values(HttpErrorCode).toSorted())
  assert.ok(gateway.includes('IDEMPOTENCY_KEY_MISMATCH'))
  assert.equal(monitor.includes('IDEMPOTENCY_KEY_MISMATCH' as never), false)
  assert.ok(monitor.includes('TRANSACTION_NOT_FOUND'))
  assert.ok(monitor.includes('SERVICE_UNAVAILABLE') && gateway.includes('SERVICE_UNAVAILABLE'))
})

test('every entry has an error status and a meaning', () => {
  for (const [code, entry] of Object.entries(httpErrorCatalogue)) {
    assert.match(code, /^[A-Z][A-Z0-9_]+$/)
    assert.ok(entry.status >= 400 && entry.status < 600, code)
    assert.ok(entry.meaning.length > 0 && entry.answeredBy.length > 0, code)
  }
})
