// The Idempotency-Key protocol on an in-memory store: what is published, replayed, refused,
// kept and freed for each state a key can be in. store.integration.test.ts runs the Redis store.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { HttpError } from '../../src/errors.ts'
import type { IdempotencyScope } from '../../src/idempotency/fingerprint.ts'
import { reserve } from '../../src/idempotency/reservation.ts'
import type { IdempotencyClaim, IdempotencyStore } from '../../src/idempotency/store.ts'

const scope: IdempotencyScope = { client: 'anonymous', key: 'k-1', fingerprint: 'f-1' }
const accepted = { correlation_id: 'c-1', status_url: '/status/c-1' }
const silent = pino({ level: 'silent' })

/** A store that answers `claim` with `outcome` and records every call. */
function storeClaiming(claim: IdempotencyClaim, options: { completeFails?: boolean } = {}) {
  const calls: string[] = []
  const store: IdempotencyStore = {
    claim: async () => {
      calls.push('claim')
      return claim
    },
    complete: async (_scope, response) => {
      calls.push(`complete ${String(response.correlation_id)}`)
      if (options.completeFails) throw new Error('Redis went away')
    },
    release: async () => {
      calls.push('release')
    }
  }
  return { store, calls }
}

test('without a key the request is accepted and the store is not asked', async () => {
  const { store, calls } = storeClaiming({ outcome: 'new' })
  const reservation = await reserve(store, undefined, silent)
  assert.equal(reservation.replay, undefined)
  assert.ok(!reservation.replay)
  assert.deepEqual(await reservation.settle(async () => accepted), accepted)
  assert.deepEqual(calls, [])
})

test('a new key: accepted, and its 202 kept for replays', async () => {
  const { store, calls } = storeClaiming({ outcome: 'new' })
  const reservation = await reserve(store, scope, silent)
  assert.ok(!reservation.replay)
  assert.deepEqual(await reservation.settle(async () => accepted), accepted)
  assert.deepEqual(calls, ['claim', 'complete c-1'])
})

test('a failed acceptance frees the key and fails the request', async () => {
  const { store, calls } = storeClaiming({ outcome: 'new' })
  const reservation = await reserve(store, scope, silent)
  assert.ok(!reservation.replay)
  await assert.rejects(
    reservation.settle(async () => {
      throw new Error('Kafka refused')
    }),
    /Kafka refused/
  )
  assert.deepEqual(calls, ['claim', 'release'])
})

test('a 202 not kept is logged, and the request is still accepted', async () => {
  const { store } = storeClaiming({ outcome: 'new' }, { completeFails: true })
  const logged: unknown[] = []
  const log = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) })
  const reservation = await reserve(store, scope, log)
  assert.ok(!reservation.replay)
  assert.deepEqual(await reservation.settle(async () => accepted), accepted)
  const [entry] = logged as Array<{ msg: string; correlation_id: string }>
  assert.equal(logged.length, 1)
  assert.equal(entry?.msg, 'idempotency key not recorded')
  assert.equal(entry?.correlation_id, 'c-1')
})

test('a repeat of the same request gets the first 202 again', async () => {
  const { store, calls } = storeClaiming({ outcome: 'replay', response: accepted })
  const reservation = await reserve(store, scope, silent)
  assert.deepEqual(reservation.replay, accepted)
  assert.deepEqual(calls, ['claim'])
})

test('another request under the key is a 422; one while the first is accepted a 409', async () => {
  const mismatch = storeClaiming({ outcome: 'mismatch' })
  await assert.rejects(reserve(mismatch.store, scope, silent), (err: unknown) => {
    assert.ok(err instanceof HttpError)
    assert.equal(err.statusCode, 422)
    assert.equal(err.code, 'IDEMPOTENCY_KEY_MISMATCH')
    return true
  })
  const inFlight = storeClaiming({ outcome: 'in-flight' })
  await assert.rejects(reserve(inFlight.store, scope, silent), (err: unknown) => {
    assert.ok(err instanceof HttpError)
    assert.equal(err.statusCode, 409)
    assert.equal(err.code, 'IDEMPOTENCY_KEY_IN_USE')
    assert.equal(err.retryAfterSeconds, 1)
    return true
  })
  assert.deepEqual([...mismatch.calls, ...inFlight.calls], ['claim', 'claim'], 'nothing released')
})
