// The Idempotency-Key store on the real Redis: a key claimed once, what a second claim learns in
// each state, the 202 kept for replays, and a released key free again.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { RedisKey } from '@streaming/contracts'
import { createIdempotencyStore } from '../../src/idempotency/store.ts'
import { connectRedis } from '../../../test/helpers/servers.ts'
import { defer } from '../../../test/helpers/cleanup.ts'

test('claim, replay, mismatch, in-flight and release on Redis', async (t) => {
  const redis = await connectRedis(t)
  const client = `test-${randomUUID()}`
  defer(t, async () => {
    const keys = await redis.keys(RedisKey.idempotency(client, '*'))
    if (keys.length > 0) await redis.del(...keys)
  })
  const store = createIdempotencyStore(redis, { retentionSeconds: 60, claimSeconds: 5 })
  const scope = { client, key: 'k-1', fingerprint: 'f-1' }

  assert.deepEqual(await store.claim(scope), { outcome: 'new' })
  const claimTtl = await redis.ttl(RedisKey.idempotency(client, 'k-1'))
  assert.ok(claimTtl > 0 && claimTtl <= 5, `a claim lasts claimSeconds (${claimTtl})`)
  assert.deepEqual(await store.claim(scope), { outcome: 'in-flight' })
  assert.deepEqual(await store.claim({ ...scope, fingerprint: 'f-2' }), { outcome: 'mismatch' })

  const response = { correlation_id: 'c-1', status_url: '/status/c-1' }
  await store.complete(scope, response)
  assert.deepEqual(await store.claim(scope), { outcome: 'replay', response })
  const keptTtl = await redis.ttl(RedisKey.idempotency(client, 'k-1'))
  assert.ok(keptTtl > 5 && keptTtl <= 60, `a 202 is kept for the retention (${keptTtl})`)
  assert.deepEqual(await store.claim({ ...scope, fingerprint: 'f-2' }), { outcome: 'mismatch' })

  const other = { ...scope, key: 'k-2' }
  assert.deepEqual(await store.claim(other), { outcome: 'new' })
  await store.release(other)
  assert.deepEqual(await store.claim(other), { outcome: 'new' }, 'free again once released')
})
