import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HttpErrorCode } from '@streaming/contracts'
import { describeCodes, errorCatalogue, errorCodes, sharedHttpCodes } from '../src/error-codes.ts'
import { HttpError } from '../src/errors.ts'

test('the catalogue holds every code of the shared HTTP layer', () => {
  assert.deepEqual(sharedHttpCodes, Object.values(HttpErrorCode))
  for (const code of sharedHttpCodes) assert.ok(errorCodes.includes(code), code)
})

test('an HttpError has the status its code has in the catalogue', () => {
  for (const code of errorCodes) {
    const error = new HttpError(code, 'mensagem')
    assert.equal(error.statusCode, errorCatalogue[code].status, code)
    assert.equal(error.code, code)
    assert.equal(error.retryAfterSeconds, undefined)
  }
  const limited = new HttpError('RATE_LIMITED', 'devagar', { retryAfterSeconds: 3 })
  assert.equal(limited.retryAfterSeconds, 3)
})

test("a status's description lists only its codes", () => {
  assert.equal(
    describeCodes(409, ['IDEMPOTENCY_KEY_IN_USE', 'STATUS_NOT_FOUND']),
    `\`IDEMPOTENCY_KEY_IN_USE\`: ${errorCatalogue.IDEMPOTENCY_KEY_IN_USE.meaning}`
  )
  assert.match(describeCodes(409), /ALREADY_STARTED.*ALREADY_FINISHED/)
})
