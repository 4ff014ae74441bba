import assert from 'node:assert/strict'
import { test } from 'node:test'
import { connectRedis, uniqueName } from '../helpers/servers.ts'
import { defer } from '../helpers/cleanup.ts'

test('Redis: hashes with expiry, sets and pipelines on a real server', async (t) => {
  const redis = await connectRedis(t)
  const key = uniqueName('test:sessao')
  const index = `${key}:index`
  defer(t, () => redis.del(key, index))

  await redis.hset(key, { user_id: '42', dispositivo: 'Web' })
  await redis.expire(key, 60)
  assert.deepEqual(await redis.hgetall(key), { user_id: '42', dispositivo: 'Web' })
  const ttl = await redis.ttl(key)
  assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl} within the expiry`)

  const results = await redis.multi().sadd(index, 'a', 'b').scard(index).exec()
  assert.deepEqual(
    results?.map(([err, value]) => [err, value]),
    [
      [null, 2],
      [null, 2]
    ]
  )

  await redis.pexpire(key, 1)
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(await redis.exists(key), 0, 'the hash expired')
})
