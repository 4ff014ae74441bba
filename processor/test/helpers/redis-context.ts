// A RedisStore on the real Redis for tests: every key under a prefix of the test's own, deleted
// when the test ends, so tests run side by side (and after failed runs) without meeting.
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { CreateSessionData } from '@streaming/contracts'
import type { Redis } from 'ioredis'
import { defer } from '../../../test/helpers/cleanup.ts'
import { connectRedis, uniqueName } from '../../../test/helpers/servers.ts'
import { createRedisStore, type RedisStoreOptions } from '../../src/stores/redis.ts'
import { handlerContext } from './handler-context.ts'

export type RedisTtls = Partial<Omit<RedisStoreOptions, 'keyPrefix'>>

/** Every key that starts with `prefix`. */
export async function keysByPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    found.push(...keys)
    cursor = next
  } while (cursor !== '0')
  return found
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysByPrefix(redis, prefix)
  if (keys.length > 0) await redis.del(...keys)
}

/**
 * The client and a store whose keys all start with `keyPrefix`. Sessions live 30 min and
 * content 1 h unless `ttl` says otherwise.
 */
export async function redisStore(t: TestContext, ttl: RedisTtls = {}) {
  const redis = await connectRedis(t)
  const keyPrefix = `${uniqueName('test')}:`
  defer(t, () => deleteByPrefix(redis, keyPrefix))
  const store = createRedisStore(redis, {
    sessionTtlSeconds: 1_800,
    contentTtlSeconds: 3_600,
    ...ttl,
    keyPrefix
  })
  return { redis, store, keyPrefix }
}

/** `redisStore` and a handler context on it; its clock stands still until `setClock` moves it. */
export async function redisContext(t: TestContext, ttl: RedisTtls = {}) {
  const { redis, store, keyPrefix } = await redisStore(t, ttl)
  let clock = new Date()
  const ctx = handlerContext({ redis: store }, () => clock)
  const setClock = (date: Date) => {
    clock = date
  }
  return { redis, store, keyPrefix, ctx, setClock }
}

/** A criar_sessao request for a new session id: user 4242's unless `fields` say otherwise. */
export const sessionRequest = (
  dispositivo: CreateSessionData['dispositivo'],
  localizacao: string,
  fields: Partial<CreateSessionData> = {}
): CreateSessionData => ({
  user_id: 4242,
  session_id: randomUUID(),
  dispositivo,
  localizacao,
  ...fields
})
