import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ReplyError } from 'ioredis'
import { MongoServerError } from 'mongodb'
import { callStore, isTransientStoreError, OperationError } from '../src/errors.ts'

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })

test('connection failures of every store are transient', () => {
  assert.ok(isTransientStoreError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')))
  // PostgreSQL: admin shutdown (57P01), connection failure (08006).
  assert.ok(isTransientStoreError(withCode('terminating connection', '57P01')))
  assert.ok(isTransientStoreError(withCode('connection failure', '08006')))
  assert.ok(isTransientStoreError(new Error('Connection terminated unexpectedly')))
  assert.ok(isTransientStoreError(new Error('Connection is closed.')))
})

test('MongoDB server answers that mean "not now" are transient, the others permanent', () => {
  // What FerretDB answers while PostgreSQL, which holds its documents, restarts.
  const backendDown = new MongoServerError({
    message: 'failed to connect to `user=streaming database=ferretdb`: dial error',
    code: 1,
    codeName: 'InternalError'
  })
  assert.ok(isTransientStoreError(backendDown))
  assert.ok(isTransientStoreError(new MongoServerError({ message: 'shutting down', code: 91 })))
  const duplicateKey = new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })
  assert.equal(isTransientStoreError(duplicateKey), false)
  const badQuery = new MongoServerError({ message: 'unknown operator', code: 2 })
  assert.equal(isTransientStoreError(badQuery), false)
})

test('callStore turns a transient failure into a retryable STORE_UNAVAILABLE', async () => {
  const err = await callStore('MongoDB', async () => {
    throw new MongoServerError({ message: 'backend unreachable', code: 1 })
  }).catch((caught: unknown) => caught)
  assert.ok(err instanceof OperationError)
  assert.equal(err.retryable, true)
  assert.match(err.message, /MongoDB indisponível/)
})

test('Redis answers that mean "not now" (out of memory, loading) are transient, others not', () => {
  // Under `noeviction`, a Redis at its maxmemory refuses every write with this.
  const oom = new ReplyError("OOM command not allowed when used memory > 'maxmemory'.")
  assert.ok(isTransientStoreError(oom))
  assert.ok(isTransientStoreError(new ReplyError('LOADING Redis is loading the dataset in memory')))
  assert.equal(isTransientStoreError(new ReplyError('WRONGTYPE Operation against a key')), false)
  assert.equal(isTransientStoreError(new ReplyError('ERR syntax error')), false)
})
