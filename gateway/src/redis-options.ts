import type { RedisOptions } from 'ioredis'

// The gateway's Redis connections, one place for the server and the tests that build the app.
const common: RedisOptions = { maxRetriesPerRequest: 1, connectTimeout: 3_000 }

/**
 * Statuses, idempotency claims, rate limits. Auto-pipelining sends the commands of concurrent
 * requests in one write; a command that waits for a reconnection fails within 3 s (the request
 * is a 503), not when Redis is back.
 */
export const commandRedisOptions: RedisOptions = {
  ...common,
  commandTimeout: 3_000,
  enableAutoPipelining: true
}

/** The `?wait` subscriptions: a subscribed connection sends no commands to time out. */
export const subscriberRedisOptions: RedisOptions = common
