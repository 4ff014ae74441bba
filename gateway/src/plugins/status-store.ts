import { EventEmitter, once } from 'node:events'
import {
  OperationStatus,
  RedisKey,
  type OperationStatusValue,
  type ReplyEnvelope,
  type RequestEventType
} from '@streaming/contracts'
import fp from 'fastify-plugin'

/** What GET /status answers: the pending record, then the reply's outcome. */
export interface OperationStatusRecord {
  correlation_id: string
  status: OperationStatusValue
  original_event_type: string
  accepted_at?: string
  completed_at?: string
  message?: string
  data?: Record<string, unknown>
  duration_ms?: number
  error?: { code: string; retryable: boolean }
  cancel_requested?: boolean
}

export type CancelResult =
  | { outcome: 'unknown' }
  | { outcome: 'requested'; record: OperationStatusRecord }
  | { outcome: 'finished'; record: OperationStatusRecord }

export interface StatusStore {
  /** Records a newly accepted operation; never overwrites a reply that arrived first. */
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
  /** The record once it is terminal, or the latest one after `timeoutMs`. */
  waitForTerminal: (
    correlationId: string,
    timeoutMs: number,
    signal?: AbortSignal
  ) => Promise<OperationStatusRecord | undefined>
  requestCancel: (correlationId: string) => Promise<CancelResult>
  /** The stored 202 body for an Idempotency-Key, or claims the key for a new request. */
  claimIdempotencyKey: (
    key: string
  ) => Promise<{ claimed: true } | { claimed: false; response?: Record<string, unknown> }>
  completeIdempotencyKey: (key: string, response: Record<string, unknown>) => Promise<void>
  releaseIdempotencyKey: (key: string) => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    statusStore: StatusStore
  }
}

export interface StatusStoreOptions {
  retentionSeconds: number
}

const IN_FLIGHT = '{"in_flight":true}'

/**
 * Marks a pending operation as cancel-requested, atomically: only a still-pending operation can
 * be cancelled, and the processor sees the mark before it acts.
 */
const cancelScript = `
local current = redis.call('GET', KEYS[1])
if not current then return {'unknown', ''} end
local record = cjson.decode(current)
if record.status ~= 'pending' then return {'finished', current} end
record.cancel_requested = true
local updated = cjson.encode(record)
redis.call('SET', KEYS[1], updated, 'KEEPTTL')
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return {'requested', updated}
`

const isTerminal = (record: OperationStatusRecord | undefined) =>
  record !== undefined && record.status !== OperationStatus.pending

export default fp<StatusStoreOptions>(
  async (app, { retentionSeconds }) => {
    const redis = app.redis
    const updates = new EventEmitter()
    updates.setMaxListeners(0)

    // One subscription per gateway; in-process listeners wait on it. Every replica hears every
    // reply, so `?wait` works whichever replica consumed the reply.
    await app.redisSubscriber.subscribe(RedisKey.statusChannel)
    app.redisSubscriber.on('message', (_channel: string, correlationId: string) => {
      updates.emit(correlationId)
    })

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

      async requestCancel(correlationId) {
        const [outcome, value] = (await redis.eval(
          cancelScript,
          2,
          RedisKey.status(correlationId),
          RedisKey.cancellation(correlationId),
          String(retentionSeconds)
        )) as [string, string]
        if (outcome === 'unknown') return { outcome: 'unknown' }
        const record = parse(value) as OperationStatusRecord
        return outcome === 'requested'
          ? { outcome: 'requested', record }
          : { outcome: 'finished', record }
      },

      async claimIdempotencyKey(key) {
        const claimed = await redis.set(
          RedisKey.idempotency(key),
          IN_FLIGHT,
          'EX',
          retentionSeconds,
          'NX'
        )
        if (claimed === 'OK') return { claimed: true }
        const stored = await redis.get(RedisKey.idempotency(key))
        if (!stored || stored === IN_FLIGHT) return { claimed: false }
        return { claimed: false, response: JSON.parse(stored) as Record<string, unknown> }
      },

      async completeIdempotencyKey(key, response) {
        await redis.set(RedisKey.idempotency(key), JSON.stringify(response), 'EX', retentionSeconds)
      },

      async releaseIdempotencyKey(key) {
        await redis.del(RedisKey.idempotency(key))
      }
    }

    app.decorate('statusStore', store)
  },
  { name: 'status-store', dependencies: ['redis'] }
)
