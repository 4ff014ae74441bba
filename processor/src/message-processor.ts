import {
  decodeRequest,
  ErrorCode,
  ReplyStatus,
  type ReplyEnvelope,
  type RequestEnvelope,
  type RequestEventType,
  userMustExistEventTypes
} from '@streaming/contracts'
import { withRetry, type RetryPolicy } from '@streaming/runtime'
import type { Logger } from 'pino'
import type { Claims } from './claims.ts'
import { OperationError, userNotFound } from './errors.ts'
import type { HandlerContext, HandlerMap } from './handlers/types.ts'
import type { ProcessorMetrics } from './metrics.ts'
import {
  buildReply,
  cancelledOutcome,
  failureOutcome,
  unreadableMessage,
  type ReplyOutcome,
  type RequestIdentity
} from './replies.ts'
import type { ReplyLog } from './reply-log.ts'

export interface IncomingMessage {
  topic: string
  partition: number
  offset: string
  key: Buffer | null
  value: Buffer | null
}

export interface DeadLetter {
  message: IncomingMessage
  reason: string
  code: string
}

export interface MessageProcessorDeps {
  handlers: HandlerMap
  stores: Pick<HandlerContext, 'postgres' | 'mongodb' | 'redis'>
  replyLog: ReplyLog
  claims: Claims
  publishReply: (reply: ReplyEnvelope) => Promise<void>
  publishDeadLetter: (letter: DeadLetter) => Promise<void>
  retryPolicy: RetryPolicy
  log: Logger
  metrics: ProcessorMetrics
  now?: () => Date
  /** Called between retries so a long backoff does not cost the consumer its group membership. */
  heartbeat?: () => Promise<void>
}

/**
 * The heartbeat between retries failed: the group has taken the partition away (a rebalance) or
 * the broker cannot be reached. The operation is not this consumer's to finish any more: no reply,
 * no dead letter; the error goes up to the consumer, which rejoins, and the uncommitted message
 * goes to the partition's next owner (which applies it: a claim does not stop a redelivery).
 */
export class HeartbeatFailedError extends Error {
  constructor(cause: unknown) {
    super('heartbeat between retries failed; the message is left to the next owner', { cause })
    this.name = 'HeartbeatFailedError'
  }
}

/**
 * Everything that happens to one request message, in one place: decode, dead-letter what cannot
 * be processed, answer redeliveries from the reply log, honour cancellations, check the user,
 * run the handler with retries, log and publish exactly one reply. Resolves once the reply is
 * published, so the consumer commits the offset only then.
 */
export function createMessageProcessor(deps: MessageProcessorDeps) {
  const now = deps.now ?? (() => new Date())

  /** Publishes the one reply of a request; `remember` keeps it for redeliveries first. */
  async function reply(
    request: RequestIdentity,
    outcome: ReplyOutcome,
    startedAt: number,
    remember: boolean
  ): Promise<ReplyEnvelope> {
    const envelope = buildReply(request, outcome, performance.now() - startedAt, now())
    if (remember) {
      await withRetry(
        () => deps.replyLog.save(request.event_id, envelope),
        deps.retryPolicy,
        isRetryable
      )
    }
    await deps.publishReply(envelope)
    deps.metrics.replies.inc({ event_type: request.event_type, status: outcome.status })
    deps.metrics.duration.observe({ event_type: request.event_type }, envelope.duration_ms / 1000)
    return envelope
  }

  async function apply(request: RequestEnvelope, log: Logger): Promise<ReplyOutcome> {
    // Claimed before anything is applied: from here on a cancellation is refused.
    if ((await deps.claims.claim(request.correlation_id)) === 'cancelled') return cancelledOutcome
    const data = request.data as { user_id?: number }
    if (userMustExistEventTypes.has(request.event_type) && data.user_id !== undefined) {
      if (!(await deps.stores.postgres.userExists(data.user_id))) throw userNotFound(data.user_id)
    }
    const handler = deps.handlers[request.event_type] as (
      data: unknown,
      context: HandlerContext
    ) => ReturnType<HandlerMap[RequestEventType]>
    const result = await handler(request.data, {
      ...deps.stores,
      log,
      now,
      eventId: request.event_id
    })
    return { status: ReplyStatus.success, message: result.message, data: result.data }
  }

  async function deadLetter(
    message: IncomingMessage,
    reason: string,
    code: string,
    log: Logger
  ): Promise<void> {
    await deps.publishDeadLetter({ message, reason, code })
    deps.metrics.deadLetters.inc({ code })
    log.warn(
      { reason, code, topic: message.topic, partition: message.partition, offset: message.offset },
      'message dead-lettered'
    )
  }

  return async function processMessage(message: IncomingMessage): Promise<void> {
    const startedAt = performance.now()
    const decoded = decodeRequest(message.value)
    if (!decoded.ok) {
      const log = deps.log.child({ correlation_id: decoded.correlationId })
      const code =
        decoded.failure === 'unknown-event-type'
          ? ErrorCode.unknownEventType
          : ErrorCode.invalidRequest
      await deadLetter(message, decoded.reason, code, log)
      if (decoded.correlationId) {
        const identity = {
          event_id: '',
          correlation_id: decoded.correlationId,
          event_type: decoded.eventType ?? 'desconhecido'
        }
        await reply(
          identity,
          {
            status: ReplyStatus.error,
            message: unreadableMessage(decoded.failure, decoded.eventType),
            error: { code, retryable: false }
          },
          startedAt,
          false
        )
      }
      return
    }

    const request = decoded.value
    const log = deps.log.child({
      correlation_id: request.correlation_id,
      event_id: request.event_id,
      event_type: request.event_type
    })

    const previous = await withRetry(
      () => deps.replyLog.get(request.event_id),
      deps.retryPolicy,
      isRetryable
    )
    if (previous) {
      // A redelivery: the effect happened already; send the same reply again.
      await deps.publishReply(previous)
      deps.metrics.redeliveries.inc({ event_type: request.event_type })
      log.info({ status: previous.status }, 'redelivered request answered with its earlier reply')
      return
    }

    let outcome: ReplyOutcome
    try {
      outcome = await withRetry(
        () => apply(request, log),
        deps.retryPolicy,
        isRetryable,
        async (err, attempt, delayMs) => {
          deps.metrics.retries.inc({ event_type: request.event_type })
          log.warn({ err, attempt, delay_ms: delayMs }, 'transient failure; retrying')
          try {
            await deps.heartbeat?.()
          } catch (heartbeatError) {
            throw new HeartbeatFailedError(heartbeatError)
          }
        }
      )
    } catch (err) {
      if (err instanceof HeartbeatFailedError) {
        log.warn({ err: err.cause }, 'group membership lost while retrying; left to the next owner')
        throw err.cause
      }
      outcome = failureOutcome(err)
      if (
        outcome.error?.code === ErrorCode.retriesExhausted ||
        outcome.error?.code === ErrorCode.internal
      ) {
        log.error({ err }, 'operation failed')
        await deadLetter(message, outcome.message, outcome.error.code, log)
      } else {
        log.info({ code: outcome.error?.code, reason: outcome.message }, 'operation rejected')
      }
    }

    const envelope = await reply(request, outcome, startedAt, true)
    log.info({ status: outcome.status, duration_ms: envelope.duration_ms }, 'operation answered')
  }
}

const isRetryable = (err: unknown): boolean => err instanceof OperationError && err.retryable
