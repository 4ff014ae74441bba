import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import {
  RESPONSE_EVENT_TYPE,
  ReplyStatus,
  Source,
  requestEventTypes,
  type RequestEventType
} from './event-types.ts'
import { CorrelationId, IsoDateTime } from './fields.ts'
import { operations, type RequestData } from './operations/index.ts'

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

export type DecodeResult<T> =
  { ok: true; value: T } | { ok: false; reason: string; correlationId?: string; eventType?: string }

function describeErrors(schema: TSchema, value: unknown, prefix = ''): string {
  return [...Value.Errors(schema, value)]
    .slice(0, 5)
    .map((error) => `${prefix}${error.instancePath || '/'} ${error.message}`)
    .join('; ')
}

function readableCorrelationId(value: unknown): string | undefined {
  const id = (value as { correlation_id?: unknown } | null)?.correlation_id
  return typeof id === 'string' && Value.Check(CorrelationId, id) ? id : undefined
}

/** Parses and validates a request message: the envelope, then the data of its operation. */
export function decodeRequest(raw: Buffer | string | null): DecodeResult<RequestEnvelope> {
  if (raw === null) return { ok: false, reason: 'empty message' }
  let value: unknown
  try {
    value = JSON.parse(raw.toString())
  } catch {
    return { ok: false, reason: 'message is not JSON' }
  }
  const correlationId = readableCorrelationId(value)
  const eventType = (value as { event_type?: unknown } | null)?.event_type
  const known = typeof eventType === 'string' ? eventType : undefined
  if (!Value.Check(RequestEnvelope, value)) {
    return {
      ok: false,
      reason: `invalid envelope: ${describeErrors(RequestEnvelope, value)}`,
      correlationId,
      eventType: known
    }
  }
  const schema = operations[value.event_type].data
  if (!Value.Check(schema, value.data)) {
    return {
      ok: false,
      reason: `invalid data: ${describeErrors(schema, value.data, 'data')}`,
      correlationId,
      eventType: known
    }
  }
  return { ok: true, value: value as RequestEnvelope }
}

/** Parses and validates a reply message. */
export function decodeReply(raw: Buffer | string | null): DecodeResult<ReplyEnvelope> {
  if (raw === null) return { ok: false, reason: 'empty message' }
  let value: unknown
  try {
    value = JSON.parse(raw.toString())
  } catch {
    return { ok: false, reason: 'message is not JSON' }
  }
  if (!Value.Check(ReplyEnvelope, value)) {
    return {
      ok: false,
      reason: `invalid reply: ${describeErrors(ReplyEnvelope, value)}`,
      correlationId: readableCorrelationId(value)
    }
  }
  return { ok: true, value }
}
