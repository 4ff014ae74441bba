import { randomUUID } from 'node:crypto'
import {
  CANCELLED_MESSAGE,
  type DecodeFailure,
  ENVELOPE_VERSION,
  ErrorCode,
  RESPONSE_EVENT_TYPE,
  ReplyStatus,
  Source,
  type ErrorCodeValue,
  type ReplyEnvelope,
  type ReplyStatusValue
} from '@streaming/contracts'
import { OperationError } from './errors.ts'

/** What is known of the request a reply answers; for an unreadable request, only some of it. */
export interface RequestIdentity {
  event_id: string
  correlation_id: string
  event_type: string
  timestamp?: string
}

export interface ReplyOutcome {
  status: ReplyStatusValue
  message: string
  data?: Record<string, unknown>
  error?: { code: ErrorCodeValue; retryable: boolean }
}

export function buildReply(
  request: RequestIdentity,
  outcome: ReplyOutcome,
  durationMs: number,
  now: Date
): ReplyEnvelope {
  return {
    event_id: randomUUID(),
    event_type: RESPONSE_EVENT_TYPE,
    correlation_id: request.correlation_id,
    timestamp: now.toISOString(),
    source: Source.processor,
    target: Source.gateway,
    version: ENVELOPE_VERSION,
    original_event_type: request.event_type,
    request_event_id: request.event_id,
    ...(request.timestamp ? { request_timestamp: request.timestamp } : {}),
    status: outcome.status,
    message: outcome.message,
    duration_ms: Math.max(0, Math.round(durationMs * 1000) / 1000),
    data: outcome.data ?? {},
    ...(outcome.error ? { error: outcome.error } : {})
  }
}

export const cancelledOutcome: ReplyOutcome = {
  status: ReplyStatus.cancelled,
  message: CANCELLED_MESSAGE
}

/** What the client is told of a request the processor could not read (the reason, in English,
 * goes to the dead-letter headers and the log). */
export function unreadableMessage(failure: DecodeFailure, eventType: string | undefined): string {
  if (failure === 'unknown-event-type') {
    return `Requisição não pôde ser processada: tipo de evento desconhecido '${eventType ?? ''}'`
  }
  return failure === 'invalid-data'
    ? 'Requisição não pôde ser processada: os dados não seguem o contrato da operação'
    : 'Requisição não pôde ser processada: a mensagem não segue o contrato de eventos'
}

/**
 * The reply to an operation that failed for good: a refusal answers its own code; a transient
 * failure that still reaches here has run out of retries; anything else is an internal error.
 */
export function failureOutcome(err: unknown): ReplyOutcome {
  if (err instanceof OperationError && !err.retryable) {
    return {
      status: ReplyStatus.error,
      message: err.message,
      error: { code: err.code, retryable: false }
    }
  }
  if (err instanceof OperationError) {
    return {
      status: ReplyStatus.error,
      message: `${err.message} (tentativas esgotadas)`,
      error: { code: ErrorCode.retriesExhausted, retryable: true }
    }
  }
  return {
    status: ReplyStatus.error,
    message: 'Erro interno ao processar a operação',
    error: { code: ErrorCode.internal, retryable: false }
  }
}
