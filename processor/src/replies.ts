import { randomUUID } from 'node:crypto'
import {
  CANCELLED_MESSAGE,
  ENVELOPE_VERSION,
  RESPONSE_EVENT_TYPE,
  ReplyStatus,
  Source,
  type ErrorCodeValue,
  type ReplyEnvelope,
  type ReplyStatusValue
} from '@streaming/contracts'

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
