import { ClaimState, RedisKey, type ClaimStateValue } from '@streaming/contracts'
import type { Redis } from 'ioredis'
import { callStore } from './errors.ts'

export type ClaimOutcome = 'claimed' | 'cancelled'

/**
 * The processor's side of cancellation: before it applies an operation it claims it, in one
 * command that also answers whether a client's cancellation got there first. A claim taken by an
 * earlier delivery of the same request (a retry, a redelivery) is the processor's own: still ours.
 */
export function createClaims(redis: Redis, retentionSeconds: number) {
  return {
    async claim(correlationId: string): Promise<ClaimOutcome> {
      const previous = (await callStore('Redis', () =>
        redis.set(
          RedisKey.claim(correlationId),
          ClaimState.processing,
          'EX',
          retentionSeconds,
          'NX',
          'GET'
        )
      )) as ClaimStateValue | null
      return previous === ClaimState.cancelled ? 'cancelled' : 'claimed'
    }
  }
}

export type Claims = ReturnType<typeof createClaims>
