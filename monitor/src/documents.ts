import {
  decodeReply,
  DeadLetterHeader,
  decodeRequest,
  type DecodeResult,
  type TopicNames
} from '@streaming/contracts'
import { indexNames, replyIndex, requestIndex } from './index-names.ts'

/** One Kafka record as the monitor receives it. */
export interface KafkaRecord {
  topic: string
  partition: number
  offset: string
  /** Broker or producer time of the record, in milliseconds since the epoch (kafkajs gives text). */
  timestamp: string
  key: Buffer | null
  value: Buffer | null
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>
}

/** An Elasticsearch document of one event: the fields of the mapping in `templates.ts`. */
export interface EventDocument {
  timestamp: string
  topic: string
  partition: number
  offset: number
  kafka_timestamp: string
  /**
   * When the monitor built the document for the bulk API. Documents replayed from the fallback
   * file keep the time they were first built; documents of earlier versions have none.
   */
  indexed_at?: string
  malformed: boolean
  transaction_id?: string
  /**
   * The user the event is about, as text: ids are integers of up to 16 digits, and a keyword
   * keeps every one of them exact and searchable.
   */
  user_id?: string
  event_id?: string
  event_type?: string
  original_event_type?: string
  /** The operation: the request's event_type, or the reply's original_event_type. */
  operation?: string
  source?: string
  target?: string
  status?: string
  message?: string
  latency_ms?: number
  duration_ms?: number
  error?: string
  error_code?: string
  key?: string
  /** The message as received, when it is not a valid event (or Elasticsearch refused it). */
  raw?: string
  raw_encoding?: 'utf8' | 'base64'
  /** The whole event (kept in _source, not indexed). */
  payload?: unknown
  headers?: Record<string, string>
}

/** What the indexer writes: one document, its index and its deterministic id. */
export interface IndexAction {
  index: string
  id: string
  document: EventDocument
}

/** The same record always gets the same id, so redelivery and replay overwrite, never add. */
export const documentId = (topic: string, partition: number, offset: string | number): string =>
  `${topic}-${partition}-${offset}`

/** Milliseconds from the request's timestamp to the reply's; undefined when either is missing. */
export function latencyMs(replyTimestamp: string, requestTimestamp?: string): number | undefined {
  if (!requestTimestamp) return undefined
  const latency = Date.parse(replyTimestamp) - Date.parse(requestTimestamp)
  // Clocks of different hosts may disagree by a little; a negative latency means "about zero".
  return Number.isFinite(latency) ? Math.max(0, latency) : undefined
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function rawText(value: Buffer | null): Pick<EventDocument, 'raw' | 'raw_encoding'> {
  if (value === null) return { raw: '', raw_encoding: 'utf8' }
  try {
    return { raw: utf8.decode(value), raw_encoding: 'utf8' }
  } catch {
    return { raw: value.toString('base64'), raw_encoding: 'base64' }
  }
}

function headerText(headers: KafkaRecord['headers']): Record<string, string> | undefined {
  const entries = Object.entries(headers ?? {}).filter(([, value]) => value !== undefined)
  if (entries.length === 0) return undefined
  return Object.fromEntries(
    entries.map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(String).join(',') : String(value)
    ])
  )
}

function kafkaTime(record: KafkaRecord): string {
  const ms = Number(record.timestamp)
  return new Date(Number.isFinite(ms) && ms >= 0 ? ms : Date.now()).toISOString()
}

/** A string field of an unreadable message, if it has one. */
function readableString(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const found = (value as Record<string, unknown>)[field]
  return typeof found === 'string' && found.length > 0 && found.length <= 256 ? found : undefined
}

function parseJson(value: Buffer | null): { ok: true; value: unknown } | { ok: false } {
  if (value === null || value.length === 0) return { ok: false }
  try {
    return { ok: true, value: JSON.parse(value.toString()) }
  } catch {
    return { ok: false }
  }
}

type Decoded = DecodeResult<unknown>

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A user id as text: a positive integer (as the contract has it), or its digits. */
function userIdText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined
  }
  return typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? value : undefined
}

/**
 * The user named by a request's data or a reply's result: its own `user_id`, or that of a
 * record it holds (a reply's `usuario`, `assinatura`, `pagamento`, …).
 */
function userIdIn(data: unknown): Pick<EventDocument, 'user_id'> {
  if (!isRecord(data)) return {}
  const nested = Object.values(data).map((value) => (isRecord(value) ? value.user_id : undefined))
  for (const candidate of [data.user_id, ...nested]) {
    const userId = userIdText(candidate)
    if (userId) return { user_id: userId }
  }
  return {}
}

/** Fields every document of a record has. */
function base(
  record: KafkaRecord,
  indexedAt: string
): Omit<EventDocument, 'timestamp' | 'malformed'> {
  const key = record.key?.toString()
  const headers = headerText(record.headers)
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    kafka_timestamp: kafkaTime(record),
    indexed_at: indexedAt,
    ...(key !== undefined ? { key } : {}),
    ...(headers ? { headers } : {})
  }
}

/** A message that is not a valid event: kept whole, with what can be read of it. */
function malformedFields(
  record: KafkaRecord,
  failure: Extract<Decoded, { ok: false }>,
  indexedAt: string
): EventDocument {
  const parsed = parseJson(record.value)
  const readable = parsed.ok ? parsed.value : undefined
  const transactionId = failure.correlationId ?? readableString(readable, 'correlation_id')
  const eventType = failure.eventType ?? readableString(readable, 'event_type')
  return {
    ...base(record, indexedAt),
    timestamp: kafkaTime(record),
    malformed: true,
    error: failure.reason,
    error_code: failure.failure,
    ...(transactionId ? { transaction_id: transactionId } : {}),
    ...(eventType ? { event_type: eventType } : {}),
    ...rawText(record.value),
    ...(parsed.ok ? { payload: parsed.value } : {})
  }
}

/**
 * The document of one Kafka record, with its index and id. Requests go to their entity's index,
 * replies to their operation's, dead letters to the dead-letter index; a message that is not a
 * valid event of its topic goes to the malformed index, raw text kept, so it never blocks.
 * `indexedAt` is the document's `indexed_at` (the consumer gives one per batch).
 */
export function toIndexAction(
  record: KafkaRecord,
  topics: TopicNames,
  prefix: string,
  indexedAt: string = new Date().toISOString()
): IndexAction {
  const names = indexNames(prefix)
  const id = documentId(record.topic, record.partition, record.offset)

  if (record.topic === topics.responses) {
    const decoded = decodeReply(record.value)
    if (!decoded.ok) {
      return { index: names.malformed, id, document: malformedFields(record, decoded, indexedAt) }
    }
    const reply = decoded.value
    const latency = latencyMs(reply.timestamp, reply.request_timestamp)
    return {
      index: replyIndex(prefix, reply.original_event_type),
      id,
      document: {
        ...base(record, indexedAt),
        timestamp: reply.timestamp,
        malformed: false,
        transaction_id: reply.correlation_id,
        ...userIdIn(reply.data),
        event_id: reply.event_id,
        event_type: reply.event_type,
        original_event_type: reply.original_event_type,
        operation: reply.original_event_type,
        source: reply.source,
        target: reply.target,
        status: reply.status,
        message: reply.message,
        duration_ms: reply.duration_ms,
        ...(latency !== undefined ? { latency_ms: latency } : {}),
        ...(reply.error ? { error_code: reply.error.code } : {}),
        payload: reply
      }
    }
  }

  const decoded = decodeRequest(record.value)
  if (record.topic === topics.deadLetters) {
    const headers = headerText(record.headers) ?? {}
    const reason = headers[DeadLetterHeader.reason]
    const code = headers[DeadLetterHeader.code]
    const letter: Pick<EventDocument, 'message' | 'error_code'> = {
      ...(reason ? { message: reason } : {}),
      ...(code ? { error_code: code } : {})
    }
    if (!decoded.ok) {
      return {
        index: names.deadLetters,
        id,
        document: { ...malformedFields(record, decoded, indexedAt), ...letter }
      }
    }
    return {
      index: names.deadLetters,
      id,
      document: { ...requestFields(record, decoded.value, indexedAt), ...letter }
    }
  }

  if (!decoded.ok) {
    return { index: names.malformed, id, document: malformedFields(record, decoded, indexedAt) }
  }
  return {
    index: requestIndex(prefix, decoded.value.event_type),
    id,
    document: requestFields(record, decoded.value, indexedAt)
  }
}

function requestFields(
  record: KafkaRecord,
  request: Extract<ReturnType<typeof decodeRequest>, { ok: true }>['value'],
  indexedAt: string
): EventDocument {
  return {
    ...base(record, indexedAt),
    timestamp: request.timestamp,
    malformed: false,
    transaction_id: request.correlation_id,
    ...userIdIn(request.data),
    event_id: request.event_id,
    event_type: request.event_type,
    operation: request.event_type,
    source: request.source,
    target: request.target,
    payload: request
  }
}

/**
 * The replacement of a document Elasticsearch refused for what it holds (a mapping or parse
 * error): the same id in the malformed index, the refused document kept as raw text.
 */
export function rejectedAction(action: IndexAction, reason: string, prefix: string): IndexAction {
  const { document } = action
  return {
    index: indexNames(prefix).malformed,
    id: action.id,
    document: {
      timestamp: document.kafka_timestamp,
      topic: document.topic,
      partition: document.partition,
      offset: document.offset,
      kafka_timestamp: document.kafka_timestamp,
      indexed_at: new Date().toISOString(),
      malformed: true,
      error: `rejected by Elasticsearch (${action.index}): ${reason}`.slice(0, 2_000),
      error_code: 'rejected',
      ...(typeof document.transaction_id === 'string'
        ? { transaction_id: document.transaction_id }
        : {}),
      raw: JSON.stringify(document),
      raw_encoding: 'utf8'
    }
  }
}
