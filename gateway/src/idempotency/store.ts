import { RedisKey } from '@streaming/contracts'
import type { Redis } from 'ioredis'
import type { IdempotencyScope } from './fingerprint.ts'

export type IdempotencyClaim =
  | { outcome: 'new' }
  | { outcome: 'replay'; response: Record<string, unknown> }
  | { outcome: 'in-flight' }
  | { outcome: 'mismatch' }

/** The Idempotency-Keys in use, each bound to one request and, once accepted, its 202. */
export interface IdempotencyStore {
  /**
   * Claims the key for this request in one round trip, or says why not: the first request with
   * it is still being accepted, it was used for a different request, or its 202 is to be replayed.
   */
  claim: (scope: IdempotencyScope) => Promise<IdempotencyClaim>
  /** Keeps the 202 body for replays, for the status retention. */
  complete: (scope: IdempotencyScope, response: Record<string, unknown>) => Promise<void>
  /** Frees a claimed key whose request was not accepted, so the client may retry it. */
  release: (scope: IdempotencyScope) => Promise<void>
}

export interface IdempotencyStoreOptions {
  retentionSeconds: number
  /**
   * How long a claim lasts before its request is accepted. A gateway that dies between the claim
   * and the 202 leaves the key blocked only this long, not for the whole retention.
   */
  claimSeconds: number
}

interface StoredKey {
  fingerprint: string
  response?: Record<string, unknown>
}

const redisKey = ({ client, key }: IdempotencyScope) => RedisKey.idempotency(client, key)

/** The Idempotency-Keys in Redis, one JSON value per key. */
export function createIdempotencyStore(
  redis: Redis,
  { retentionSeconds, claimSeconds }: IdempotencyStoreOptions
): IdempotencyStore {
  return {
    async claim(scope) {
      const claim: StoredKey = { fingerprint: scope.fingerprint }
      // SET … NX GET: claims a free key and answers what holds a taken one, atomically.
      const previous = await redis.set(
        redisKey(scope),
        JSON.stringify(claim),
        'EX',
        claimSeconds,
        'NX',
        'GET'
      )
      if (previous === null) return { outcome: 'new' }
      const stored = JSON.parse(previous) as StoredKey
      if (stored.fingerprint !== scope.fingerprint) return { outcome: 'mismatch' }
      return stored.response
        ? { outcome: 'replay', response: stored.response }
        : { outcome: 'in-flight' }
    },

    async complete(scope, response) {
      const stored: StoredKey = { fingerprint: scope.fingerprint, response }
      await redis.set(redisKey(scope), JSON.stringify(stored), 'EX', retentionSeconds)
    },

    async release(scope) {
      await redis.del(redisKey(scope))
    }
  }
}
