import type { Client } from '@elastic/elasticsearch'
import { CorrelationId, Nullable, sendError, UserId, type TopicNames } from '@streaming/contracts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type Static } from 'typebox'
import { describeError } from './describe-error.ts'
import type { EventDocument } from './documents.ts'
import type { IndexNames } from './index-names.ts'
import {
  hasTransaction,
  newestPerTransaction,
  recentRow,
  RecentTransaction
} from './transaction-rows.ts'

// The monitor's read API for the dashboard: the most recent transactions (optionally one user's)
// and the trace of one transaction, both read from Elasticsearch.

/** Longest wait for one Elasticsearch read: past it the answer is a 503, never a hung request. */
const READ_TIMEOUT_MS = 3_000
const readOptions = { requestTimeout: READ_TIMEOUT_MS, maxRetries: 0 }
/** Documents of one trace; an operation has a handful (redeliveries add one each). */
const MAX_TRACE_DOCUMENTS = 200

/** Windows the latest replies are looked for in, in turn: most reads end in the first. */
const RECENT_WINDOWS = ['now-15m', 'now-7d', undefined] as const
/** Replies read for one list of recent transactions (twice the rows: redeliveries repeat one). */
const MAX_RECENT_DOCUMENTS = 200

export const RecentQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  user_id: Type.Optional(UserId)
})

export { RecentTransaction } from './transaction-rows.ts'

export const TraceParams = Type.Object({ correlation_id: CorrelationId })

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

const traceFields = [
  'transaction_id',
  'user_id',
  'topic',
  'partition',
  'offset',
  'timestamp',
  'kafka_timestamp',
  'indexed_at',
  'malformed',
  'event_type',
  'operation',
  'status',
  'message',
  'error',
  'error_code',
  'duration_ms',
  'latency_ms',
  'payload'
]

const recentFields = [
  'transaction_id',
  'operation',
  'status',
  'user_id',
  'latency_ms',
  'duration_ms',
  'timestamp',
  'message'
]

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

export interface TransactionRoutesOptions {
  client: Client
  names: IndexNames
  topics: TopicNames
}

/** `GET /transactions/recent` and `GET /transactions/{correlation_id}`. */
export const transactionRoutes: FastifyPluginAsync<TransactionRoutesOptions> = async (
  server,
  { client, names, topics }
) => {
  const unavailable = (
    request: FastifyRequest,
    reply: FastifyReply,
    err: unknown,
    logMessage: string,
    message: string,
    fields: Record<string, unknown> = {}
  ) => {
    request.log.warn({ ...fields, err: describeError(err) }, logMessage)
    reply.header('retry-after', '5')
    return sendError(reply, 503, 'SERVICE_UNAVAILABLE', message)
  }

  /**
   * The latest replies, newest first, one per transaction. Collapsing in Elasticsearch sorts
   * every reply (half a second at 500,000 of them, past the read timeout under load), so the
   * newest few are read without it, in a recent window first, and a transaction answered twice
   * (a redelivery) is kept once here.
   */
  async function recent(limit: number): Promise<RecentTransaction[]> {
    let rows: RecentTransaction[] = []
    for (const since of RECENT_WINDOWS) {
      const result = await client.search<EventDocument>(
        {
          index: names.aliases.responses,
          ignore_unavailable: true,
          allow_no_indices: true,
          size: Math.min(limit * 2, MAX_RECENT_DOCUMENTS),
          // No total to count: the sort can skip every document older than the newest found.
          track_total_hits: false,
          ...(since ? { query: { range: { timestamp: { gte: since } } } } : {}),
          sort: [{ timestamp: { order: 'desc', unmapped_type: 'date' } }],
          _source: recentFields
        },
        readOptions
      )
      rows = newestPerTransaction(result.hits.hits.map(({ _source: doc }) => doc)).slice(0, limit)
      if (rows.length >= limit) break
    }
    return rows
  }

  /**
   * One user's latest transactions, newest first. A reply names its user only when its result
   * holds one (an error reply holds none), so the user's transactions are found by any of their
   * documents, and their replies are read next; one without a reply yet is `pending`.
   */
  async function recentOfUser(userId: string, limit: number): Promise<RecentTransaction[]> {
    const mine = await client.search<EventDocument>(
      {
        index: names.aliases.all,
        ignore_unavailable: true,
        allow_no_indices: true,
        size: limit,
        query: { term: { user_id: userId } },
        collapse: { field: 'transaction_id' },
        sort: [{ timestamp: { order: 'desc', unmapped_type: 'date' } }],
        _source: recentFields
      },
      readOptions
    )
    const found = mine.hits.hits.flatMap(({ _source: doc }) => (hasTransaction(doc) ? [doc] : []))
    if (found.length === 0) return []
    const replies = await client.search<EventDocument>(
      {
        index: names.aliases.responses,
        ignore_unavailable: true,
        allow_no_indices: true,
        size: found.length,
        query: { terms: { transaction_id: found.map((doc) => doc.transaction_id) } },
        // The first reply of each: a redelivered request is answered again with the same one.
        collapse: { field: 'transaction_id' },
        sort: [{ timestamp: { order: 'asc', unmapped_type: 'date' } }],
        _source: recentFields
      },
      readOptions
    )
    const replyOf = new Map(
      replies.hits.hits.flatMap(({ _source: doc }) =>
        hasTransaction(doc) ? [[doc.transaction_id, doc] as const] : []
      )
    )
    return found.map((doc) => {
      const reply = replyOf.get(doc.transaction_id)
      return reply
        ? {
            ...recentRow(reply),
            operation: reply.operation ?? doc.operation ?? null,
            user_id: userId
          }
        : { ...recentRow(doc), status: 'pending', user_id: userId, message: null }
    })
  }

  server.get<{ Querystring: Static<typeof RecentQuery> }>(
    '/transactions/recent',
    {
      schema: {
        querystring: RecentQuery,
        response: { 200: Type.Array(RecentTransaction) }
      }
    },
    async (request, reply) => {
      const { limit, user_id: userId } = request.query
      try {
        return userId === undefined
          ? await recent(limit)
          : await recentOfUser(String(userId), limit)
      } catch (err) {
        return unavailable(
          request,
          reply,
          err,
          'recent transactions unavailable',
          'Elasticsearch indisponível: as transações recentes não podem ser lidas agora'
        )
      }
    }
  )

  server.get<{ Params: Static<typeof TraceParams> }>(
    '/transactions/:correlation_id',
    {
      schema: {
        params: TraceParams,
        response: { 200: TransactionTrace }
      }
    },
    async (request, reply) => {
      const { correlation_id: correlationId } = request.params
      let docs: EventDocument[]
      try {
        const result = await client.search<EventDocument>(
          {
            index: names.aliases.all,
            ignore_unavailable: true,
            allow_no_indices: true,
            size: MAX_TRACE_DOCUMENTS,
            query: { term: { transaction_id: correlationId } },
            // A dead letter of a readable request has the request's own timestamp: the Kafka
            // time puts it after the request.
            sort: [
              { timestamp: { order: 'asc', unmapped_type: 'date' } },
              { kafka_timestamp: { order: 'asc', unmapped_type: 'date' } },
              { offset: { order: 'asc', unmapped_type: 'long' } }
            ],
            _source: traceFields
          },
          readOptions
        )
        docs = result.hits.hits.flatMap(({ _source: doc }) => (doc ? [doc] : []))
      } catch (err) {
        return unavailable(
          request,
          reply,
          err,
          'transaction trace unavailable',
          'Elasticsearch indisponível: a transação não pode ser rastreada agora',
          { correlation_id: correlationId }
        )
      }
      if (docs.length === 0) {
        return sendError(
          reply,
          404,
          'TRANSACTION_NOT_FOUND',
          `Transação ${correlationId} ainda não indexada ou desconhecida: ` +
            'uma operação aceita há pouco aparece aqui alguns instantes depois'
        )
      }
      return buildTrace(correlationId, docs, topics)
    }
  )
}
