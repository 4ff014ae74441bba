/**
 * Redis keys shared by the gateway (which owns operation status) and the processor (which claims
 * an operation before it acts, so a cancellation either wins or is refused). Kept here so both
 * sides agree on one spelling.
 */
export const RedisKey = {
  /** JSON of the operation's current status. */
  status: (correlationId: string) => `status:${correlationId}`,
  /**
   * Who won an operation: `processing` once the processor claimed it (it will be applied), or
   * `cancelled` once a client's cancellation did (it never will be). Set once, by either side.
   */
  claim: (correlationId: string) => `status:${correlationId}:claim`,
  /** An Idempotency-Key of one client: the fingerprint of its request, then its 202 body. */
  idempotency: (client: string, key: string) => `idempotency:${client}:${key}`,
  /** Pub/sub channel announcing that an operation reached a terminal status. */
  statusChannel: 'status:updates'
} as const

/** The values of `RedisKey.claim`: whoever sets it first decides the operation's fate. */
export const ClaimState = { processing: 'processing', cancelled: 'cancelled' } as const
export type ClaimStateValue = (typeof ClaimState)[keyof typeof ClaimState]

/** The message of a cancelled operation, the same in the gateway's record and the reply. */
export const CANCELLED_MESSAGE = 'Operação cancelada pelo cliente antes do processamento'
