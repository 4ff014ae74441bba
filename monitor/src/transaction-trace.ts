// The trace of one transaction, made from its documents: pure, apart from the Elasticsearch read
// of transactions.ts.
import { Nullable, type TopicNames } from '@streaming/contracts'
import Type, { type Static } from 'typebox'
import type { EventDocument } from './documents.ts'

export const eventKinds = ['request', 'reply', 'dead_letter', 'malformed'] as const
export type EventKind = (typeof eventKinds)[number]

export const traceStages = ['accepted', 'published', 'processed', 'replied', 'indexed'] as const
export type TraceStage = (typeof traceStages)[number]

export const TraceEvent = Type.Object({
  kind: Type.Enum(eventKinds),
  topic: Type.String(),
  partition: Type.Integer(),
  offset: Type.Integer(),
  /** The event's own time (envelope timestamp), or the Kafka time of one that has none. */
  timestamp: Type.String(),
  kafka_timestamp: Type.String(),
  indexed_at: Nullable(Type.String()),
  event_type: Nullable(Type.String()),
  status: Nullable(Type.String()),
  message: Nullable(Type.String()),
  error: Nullable(Type.String()),
  error_code: Nullable(Type.String()),
  duration_ms: Nullable(Type.Number()),
  latency_ms: Nullable(Type.Number()),
  payload: Type.Unknown()
})

export type TraceEvent = Static<typeof TraceEvent>

export const TransactionTrace = Type.Object({
  correlation_id: Type.String(),
  operation: Nullable(Type.String()),
  status: Type.String(),
  user_id: Nullable(Type.String()),
  processing_time_ms: Nullable(Type.Number()),
  end_to_end_latency_ms: Nullable(Type.Number()),
  timeline: Type.Array(Type.Object({ stage: Type.Enum(traceStages), at: Type.String() })),
  events: Type.Array(TraceEvent)
})

export type TransactionTrace = Static<typeof TransactionTrace>

function kindOf(doc: EventDocument, topics: TopicNames): EventKind {
  if (doc.topic === topics.deadLetters) return 'dead_letter'
  if (doc.malformed) return 'malformed'
  return doc.topic === topics.responses ? 'reply' : 'request'
}

const latest = (times: Array<string | undefined>): string | undefined =>
  times.reduce<string | undefined>((found, time) => {
    if (time === undefined || Number.isNaN(Date.parse(time))) return found
    return found === undefined || Date.parse(time) > Date.parse(found) ? time : found
  }, undefined)

/**
 * The trace of one transaction from its documents in time order. The first reply decides the
 * outcome (a redelivered request is answered again with the same reply).
 */
export function buildTrace(
  correlationId: string,
  docs: EventDocument[],
  topics: TopicNames
): TransactionTrace {
  const events = docs.map((doc) => ({ doc, kind: kindOf(doc, topics) }))
  const request = events.find((event) => event.kind === 'request')?.doc
  // An unreadable request still has a Kafka time: it was published.
  const published = request ?? docs.find((doc) => doc.topic === topics.requests)
  const reply = events.find((event) => event.kind === 'reply')?.doc
  const operation =
    request?.operation ??
    reply?.operation ??
    docs.find((doc) => doc.operation)?.operation ??
    docs.find((doc) => doc.topic !== topics.responses && doc.event_type)?.event_type
  const stages: Array<[TraceStage, string | undefined]> = [
    ['accepted', request?.timestamp],
    ['published', published?.kafka_timestamp],
    ['processed', reply?.timestamp],
    ['replied', reply?.kafka_timestamp],
    ['indexed', latest(docs.map((doc) => doc.indexed_at))]
  ]
  return {
    correlation_id: correlationId,
    operation: operation ?? null,
    status: reply?.status ?? 'pending',
    user_id: request?.user_id ?? docs.find((doc) => doc.user_id)?.user_id ?? null,
    processing_time_ms: reply?.duration_ms ?? null,
    end_to_end_latency_ms: reply?.latency_ms ?? null,
    timeline: stages.flatMap(([stage, at]) => (at ? [{ stage, at }] : [])),
    events: events.map(({ doc, kind }) => ({
      kind,
      topic: doc.topic,
      partition: doc.partition,
      offset: doc.offset,
      timestamp: doc.timestamp,
      kafka_timestamp: doc.kafka_timestamp,
      indexed_at: doc.indexed_at ?? null,
      event_type: doc.event_type ?? null,
      status: doc.status ?? null,
      message: doc.message ?? null,
      error: doc.error ?? null,
      error_code: doc.error_code ?? null,
      duration_ms: doc.duration_ms ?? null,
      latency_ms: doc.latency_ms ?? null,
      payload: doc.payload ?? null
    }))
  }
}
