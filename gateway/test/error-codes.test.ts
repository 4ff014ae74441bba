import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HttpErrorCode, httpErrorCatalogue } from '@streaming/contracts'
import { describeCodes, errorCodes } from '../src/error-codes.ts'
import { HttpError } from '../src/errors.ts'

test("the gateway's codes: every code of the shared HTTP layer and its own, none of the monitor's", () => {
  for (const code of Object.values(HttpErrorCode)) assert.ok(errorCodes.includes(code), code)
  for (const code of ['API_KEY_REQUIRED', 'IDEMPOTENCY_KEY_MISMATCH', 'SERVICE_UNAVAILABLE']) {
    assert.ok(errorCodes.includes(code as never), code)
  }
  for (const code of ['TRANSACTION_NOT_FOUND', 'NOT_FOUND']) {
    assert.equal(errorCodes.includes(code as never), false, code)
  }
})

test('an HttpError has the status its code has in the catalogue', () => {
  for (const code of errorCodes) {
    const error = new HttpError(code, 'mensagem')
    assert.equal(error.statusCode, httpErrorCatalogue[code].status, code)
    assert.equal(error.code, code)
    assert.equal(error.retryAfterSeconds, undefined)
  }
  const limited = new HttpError('RATE_LIMITED', 'devagar', { retryAfterSeconds: 3 })
  assert.equal(limited.retryAfterSeconds, 3)
})

test("a status's description lists only its codes", () => {
  assert.equal(
    describeCodes(409, ['IDEMPOTENCY_KEY_IN_USE', 'STATUS_NOT_FOUND']),
    `\`IDEMPOTENCY_KEY_IN_USE\`: ${httpErrorCatalogue.IDEMPOTENCY_KEY_IN_USE.meaning}`
  )
  assert.match(describeCodes(409), /ALREADY_STARTED.*ALREADY_FINISHED/)
})
