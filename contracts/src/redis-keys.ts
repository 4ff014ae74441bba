/**
 * Redis keys shared by the gateway (which owns operation status) and the processor (which must
 * see a cancellation before it acts). Kept here so both sides agree on one spelling.
 */
export const RedisKey = {
  /** JSON of the operation's current status. */
  status: (correlationId: string) => `status:${correlationId}`,
  /** Present while a client has asked to cancel an operation that was still pending. */
  cancellation: (correlationId: string) => `status:${correlationId}:cancelled`,
  /** correlation_id answered for an Idempotency-Key. */
  idempotency: (key: string) => `idempotency:${key}`,
  /** Pub/sub channel announcing that an operation reached a terminal status. */
  statusChannel: 'status:updates'
} as const
