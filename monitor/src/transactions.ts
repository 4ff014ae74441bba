import type { Client } from '@elastic/elasticsearch'
import { CorrelationId, UserId, type TopicNames } from '@streaming/contracts'
import { sendError } from '@streaming/runtime'
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
import { buildTrace, TransactionTrace } from './transaction-trace.ts'

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
