import type { ReplyEnvelope } from '@streaming/contracts'
import type { Redis } from 'ioredis'
import { callStore } from './errors.ts'

/**
 * The reply sent for each request event, kept so a redelivered request (same event_id) gets the
 * very same reply without being applied twice.
 */
export function createReplyLog(redis: Redis, retentionSeconds: number, keyPrefix = '') {
  const key = (eventId: string) => `${keyPrefix}processor:reply:${eventId}`
  return {
    async get(eventId: string): Promise<ReplyEnvelope | undefined> {
      const stored = await callStore('Redis', () => redis.get(key(eventId)))
      return stored ? (JSON.parse(stored) as ReplyEnvelope) : undefined
    },
    async save(eventId: string, reply: ReplyEnvelope): Promise<void> {
      await callStore('Redis', () =>
        redis.set(key(eventId), JSON.stringify(reply), 'EX', retentionSeconds)
      )
    }
  }
}

export type ReplyLog = ReturnType<typeof createReplyLog>
