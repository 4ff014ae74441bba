import { RedisKey } from '@streaming/contracts'
import fp from 'fastify-plugin'

/** An Idempotency-Key as the gateway keeps it: the client's key, bound to one request. */
export interface IdempotencyScope {
  client: string
  key: string
  fingerprint: string
}

export type IdempotencyClaim =
  | { outcome: 'new' }
  | { outcome: 'replay'; response: Record<string, unknown> }
  | { outcome: 'in-flight' }
  | { outcome: 'mismatch' }

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

declare module 'fastify' {
  interface FastifyInstance {
    idempotency: IdempotencyStore
  }
}

export interface IdempotencyOptions {
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

export default fp<IdempotencyOptions>(
  async (app, { retentionSeconds, claimSeconds }) => {
    const redis = app.redis
    const redisKey = ({ client, key }: IdempotencyScope) => RedisKey.idempotency(client, key)

    const store: IdempotencyStore = {
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

    app.decorate('idempotency', store)
  },
  { name: 'idempotency', dependencies: ['redis'] }
)
