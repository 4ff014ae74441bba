import { randomUUID } from 'node:crypto'
import Type, { type Static, type TSchema } from 'typebox'
import {
  RESPONSE_EVENT_TYPE,
  ReplyStatus,
  Source,
  requestEventTypes,
  type RequestEventType
} from './event-types.ts'
import { CorrelationId, IsoDateTime } from './fields.ts'
import { operations, type RequestData } from './operations/index.ts'
import { validatorOf } from './validators.ts'

export const ENVELOPE_VERSION = 1

const envelopeFields = {
  event_id: Type.String({ format: 'uuid', description: 'unique per message: the idempotency key' }),
  correlation_id: CorrelationId,
  timestamp: IsoDateTime,
  version: Type.Literal(ENVELOPE_VERSION)
}

/** Every message on `user_events`. `data` is checked against the operation's own schema. */
export const RequestEnvelope = Type.Object({
  ...envelopeFields,
  event_type: Type.Enum(requestEventTypes),
  source: Type.Literal(Source.gateway),
  target: Type.Literal(Source.processor),
  data: Type.Object({})
})

export type RequestEnvelope<T extends RequestEventType = RequestEventType> = Omit<
  Static<typeof RequestEnvelope>,
  'event_type' | 'data'
> & { event_type: T; data: RequestData<T> }

export const ErrorDetail = Type.Object({
  code: Type.String({ description: 'stable error code' }),
  retryable: Type.Boolean({ description: 'whether the same request may succeed later' })
})

/** Every message on `response_events`: exactly one per request. */
export const ReplyEnvelope = Type.Object({
  ...envelopeFields,
  event_type: Type.Literal(RESPONSE_EVENT_TYPE),
  source: Type.Literal(Source.processor),
  target: Type.Literal(Source.gateway),
  original_event_type: Type.String(),
  request_event_id: Type.String({ description: 'event_id of the request this answers' }),
  request_timestamp: Type.Optional(IsoDateTime),
  status: Type.Enum(Object.values(ReplyStatus)),
  message: Type.String({ description: 'human readable outcome (Portuguese)' }),
  duration_ms: Type.Number({ minimum: 0, description: 'processing time' }),
  data: Type.Record(Type.String(), Type.Unknown()),
  error: Type.Optional(ErrorDetail)
})

export type ReplyEnvelope = Static<typeof ReplyEnvelope>

/** Why a message could not be decoded; the consumer decides what to do from this, not from text. */
export type DecodeFailure =
  'empty' | 'not-json' | 'unknown-event-type' | 'invalid-envelope' | 'invalid-data'

export type DecodeResult<T> =
  | { ok: true; value: T }
  | {
      ok: false
      failure: DecodeFailure
      reason: string
      correlationId?: string
      eventType?: string
    }

type Failure = Extract<DecodeResult<unknown>, { ok: false }>

function describeErrors(schema: TSchema, value: unknown, prefix = ''): string {
  return [...validatorOf(schema).Errors(value)]
    .slice(0, 5)
    .map((error) => `${prefix}${error.instancePath || '/'} ${error.message}`)
    .join('; ')
}

function readableCorrelationId(value: unknown): string | undefined {
  const id = (value as { correlation_id?: unknown } | null)?.correlation_id
  return typeof id === 'string' && validatorOf(CorrelationId).Check(id) ? id : undefined
}

function parseJson(raw: Buffer | string | null): { ok: true; value: unknown } | Failure {
  if (raw === null || raw.length === 0) {
    return { ok: false, failure: 'empty', reason: 'empty message' }
  }
  try {
    return { ok: true, value: JSON.parse(raw.toString()) }
  } catch {
    return { ok: false, failure: 'not-json', reason: 'message is not JSON' }
  }
}

const knownEventTypes = new Set<string>(requestEventTypes)

/** Parses and validates a request message: the envelope, then the data of its operation. */
export function decodeRequest(raw: Buffer | string | null): DecodeResult<RequestEnvelope> {
  const parsed = parseJson(raw)
  if (!parsed.ok) return parsed
  const value = parsed.value
  const correlationId = readableCorrelationId(value)
  const rawType = (value as { event_type?: unknown } | null)?.event_type
  const eventType = typeof rawType === 'string' ? rawType : undefined
  const failed = (failure: DecodeFailure, reason: string): Failure => ({
    ok: false,
    failure,
    reason,
    ...(correlationId ? { correlationId } : {}),
    ...(eventType ? { eventType } : {})
  })
  if (eventType !== undefined && !knownEventTypes.has(eventType)) {
    return failed('unknown-event-type', `unknown event_type '${eventType}'`)
  }
  if (!validatorOf(RequestEnvelope).Check(value)) {
    return failed('invalid-envelope', `invalid envelope: ${describeErrors(RequestEnvelope, value)}`)
  }
  const schema = operations[value.event_type].data
  if (!validatorOf(schema).Check(value.data)) {
    return failed('invalid-data', `invalid data: ${describeErrors(schema, value.data, 'data')}`)
  }
  return { ok: true, value: value as RequestEnvelope }
}

/** What a request envelope may be given instead of generating it. */
export interface RequestEnvelopeOptions {
  eventId?: string
  correlationId?: string
  /** ISO-8601 UTC; now when omitted. */
  timestamp?: string
}

/**
 * The request envelope of one operation, as the gateway publishes it on `user_events`: a new
 * `event_id`, and a new `correlation_id` and the current time unless given.
 */
export function requestEnvelope<T extends RequestEventType>(
  eventType: T,
  data: RequestData<T>,
  options: RequestEnvelopeOptions = {}
): RequestEnvelope<T> {
  return {
    event_id: options.eventId ?? randomUUID(),
    event_type: eventType,
    correlation_id: options.correlationId ?? randomUUID(),
    timestamp: options.timestamp ?? new Date().toISOString(),
    source: Source.gateway,
    target: Source.processor,
    version: ENVELOPE_VERSION,
    data
  }
}

/** Parses and validates a reply message. */
export function decodeReply(raw: Buffer | string | null): DecodeResult<ReplyEnvelope> {
  const parsed = parseJson(raw)
  if (!parsed.ok) return parsed
  if (!validatorOf(ReplyEnvelope).Check(parsed.value)) {
    const correlationId = readableCorrelationId(parsed.value)
    return {
      ok: false,
      failure: 'invalid-envelope',
      reason: `invalid reply: ${describeErrors(ReplyEnvelope, parsed.value)}`,
      ...(correlationId ? { correlationId } : {})
    }
  }
  return { ok: true, value: parsed.value }
}
