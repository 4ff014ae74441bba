import { EventEmitter, once } from 'node:events'
import {
  CANCELLED_MESSAGE,
  ClaimState,
  OperationStatus,
  RedisKey,
  type ReplyEnvelope,
  type RequestEventType
} from '@streaming/contracts'
import fp from 'fastify-plugin'
import type { StatusRecord } from '../schemas.ts'

/** What GET /status answers: the pending record, then the reply's outcome. */
export type OperationStatusRecord = StatusRecord

export type CancelResult =
  | { outcome: 'unknown' }
  | { outcome: 'cancelled'; record: OperationStatusRecord }
  | { outcome: 'started'; record: OperationStatusRecord }
  | { outcome: 'finished'; record: OperationStatusRecord }

export interface StatusStore {
  /**
   * Records an operation about to be published, before Kafka has it: a status store that refuses
   * writes then refuses the request (503) instead of accepting an operation it cannot track.
   * Never overwrites a reply that arrived first.
   */
  markPending: (
    correlationId: string,
    eventType: RequestEventType,
    acceptedAt: string
  ) => Promise<void>
  /**
   * Records replies (terminal statuses) and tells every gateway replica about them, in two round
   * trips for the lot; replies older than the retention are not recorded, so replaying the topic
   * revives nothing. Resolves with the replies recorded.
   */
  recordReplies: (replies: readonly ReplyEnvelope[]) => Promise<ReplyEnvelope[]>
  get: (correlationId: string) => Promise<OperationStatusRecord | undefined>
  /** Removes the pending record of a request Kafka did not take (never a reply's record). */
  forgetPending: (correlationId: string) => Promise<void>
  /** The record once it is terminal, or the latest one after `timeoutMs`. */
  waitForTerminal: (
    correlationId: string,
    timeoutMs: number,
    signal?: AbortSignal
  ) => Promise<OperationStatusRecord | undefined>
  /**
   * Cancels an operation the processor has not claimed, definitively: on `cancelled` it will
   * never be applied and its status is `cancelled` already.
   */
  cancel: (correlationId: string) => Promise<CancelResult>
}

declare module 'fastify' {
  interface FastifyInstance {
    statusStore: StatusStore
  }
}

export interface StatusStoreOptions {
  retentionSeconds: number
}

const isTerminal = (record: OperationStatusRecord | undefined) =>
  record !== undefined && record.status !== OperationStatus.pending

export default fp<StatusStoreOptions>(
  async (app, { retentionSeconds }) => {
    const redis = app.redis
    const updates = new EventEmitter()
    updates.setMaxListeners(0)

    // One subscription per gateway; in-process listeners wait on it. Every replica hears every
    // reply, so `?wait` works whichever replica consumed the reply.
    const subscriber = app.redisSubscriber
    subscriber.on('message', (_channel: string, correlationId: string) => {
      updates.emit(correlationId)
    })
    // Redis down at start-up must not stop the gateway from starting: it answers 503 until Redis
    // is back, and `?wait` falls back to its timeout. ioredis re-subscribes only to channels a
    // subscription succeeded on, so a failed one is tried again on each new connection.
    let subscribed = false
    const subscribe = async () => {
      try {
        await subscriber.subscribe(RedisKey.statusChannel)
        subscribed = true
      } catch (err) {
        app.log.warn({ err }, 'status channel not subscribed; trying again when Redis is back')
      }
    }
    subscriber.on('ready', () => {
      if (!subscribed) subscribe()
    })
    await subscribe()

    const parse = (value: string | null) =>
      value ? (JSON.parse(value) as OperationStatusRecord) : undefined

    const store: StatusStore = {
      async markPending(correlationId, eventType, acceptedAt) {
        const record: OperationStatusRecord = {
          correlation_id: correlationId,
          status: OperationStatus.pending,
          original_event_type: eventType,
          accepted_at: acceptedAt
        }
        await redis.set(
          RedisKey.status(correlationId),
          JSON.stringify(record),
          'EX',
          retentionSeconds,
          'NX'
        )
      },

      async recordReplies(replies) {
        const fresh = replies.filter(
          (reply) => Date.now() - Date.parse(reply.timestamp) <= retentionSeconds * 1000
        )
        if (fresh.length === 0) return []
        const keys = fresh.map((reply) => RedisKey.status(reply.correlation_id))
        // The pending records hold accepted_at, which the terminal record keeps.
        const previous = await redis.mget(keys)
        const write = redis.multi()
        fresh.forEach((reply, index) => {
          const acceptedAt = parse(previous[index] ?? null)?.accepted_at
          const record: OperationStatusRecord = {
            correlation_id: reply.correlation_id,
            status: reply.status,
            original_event_type: reply.original_event_type,
            ...(acceptedAt ? { accepted_at: acceptedAt } : {}),
            completed_at: reply.timestamp,
            message: reply.message,
            data: reply.data,
            duration_ms: reply.duration_ms,
            ...(reply.error ? { error: reply.error } : {})
          }
          write
            .set(keys[index] as string, JSON.stringify(record), 'EX', retentionSeconds)
            .publish(RedisKey.statusChannel, reply.correlation_id)
        })
        await write.exec()
        return fresh
      },

      async forgetPending(correlationId) {
        await redis.forgetPendingStatus(RedisKey.status(correlationId))
      },

      async get(correlationId) {
        return parse(await redis.get(RedisKey.status(correlationId)))
      },

      async waitForTerminal(correlationId, timeoutMs, signal) {
        const controller = new AbortController()
        const timer = setTimeout(() => controller.abort(), timeoutMs)
        const abort = () => controller.abort()
        signal?.addEventListener('abort', abort, { once: true })
        // Listen before reading, so a reply landing in between is not missed.
        const notified = once(updates, correlationId, { signal: controller.signal }).catch(
          () => undefined
        )
        try {
          const current = await store.get(correlationId)
          if (current === undefined || isTerminal(current)) return current
          await notified
          return await store.get(correlationId)
        } finally {
          clearTimeout(timer)
          controller.abort()
          signal?.removeEventListener('abort', abort)
        }
      },

      async cancel(correlationId) {
        const [outcome, value] = await redis.cancelPendingOperation(
          RedisKey.status(correlationId),
          RedisKey.claim(correlationId),
          RedisKey.statusChannel,
          ClaimState.cancelled,
          String(retentionSeconds),
          CANCELLED_MESSAGE,
          new Date().toISOString(),
          correlationId
        )
        if (outcome === 'unknown') return { outcome }
        return { outcome, record: parse(value) as OperationStatusRecord }
      }
    }

    app.decorate('statusStore', store)
  },
  { name: 'status-store', dependencies: ['redis'] }
)
