import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeError } from '../src/describe-error.ts'

test('an error is described by its message, with the HTTP status when the client gives one', () => {
  assert.equal(describeError(new Error('connect ECONNREFUSED')), 'connect ECONNREFUSED')
  const responseError = Object.assign(new Error('index_not_found_exception'), {
    meta: { statusCode: 404 }
  })
  assert.equal(describeError(responseError), 'HTTP 404: index_not_found_exception')
  assert.equal(describeError('timed out'), 'timed out', 'a thrown string')
  assert.equal(describeError(null), 'null')
})

test('a long description is cut to 500 characters', () => {
  assert.equal(describeError(new Error('x'.repeat(2_000))).length, 500)
})
