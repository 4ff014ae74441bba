// The rows of the monitor's recent-transactions list, made from reply documents: pure, apart
// from the Elasticsearch reads of transactions.ts.
import { Nullable } from '@streaming/contracts'
import Type, { type Static } from 'typebox'
import type { EventDocument } from './documents.ts'

export const RecentTransaction = Type.Object({
  correlation_id: Type.String(),
  operation: Nullable(Type.String()),
  /** The reply's; `pending` (user search only) while only the request is indexed. */
  status: Nullable(Type.String()),
  user_id: Nullable(Type.String()),
  /** End to end: reply time − request time. */
  latency_ms: Nullable(Type.Number()),
  /** The time the processor spent applying the operation (the reply's `duration_ms`). */
  processing_time_ms: Nullable(Type.Number()),
  timestamp: Type.String(),
  message: Nullable(Type.String())
})

export type RecentTransaction = Static<typeof RecentTransaction>

export const recentRow = (doc: EventDocument & { transaction_id: string }): RecentTransaction => ({
  correlation_id: doc.transaction_id,
  operation: doc.operation ?? null,
  status: doc.status ?? null,
  user_id: doc.user_id ?? null,
  latency_ms: doc.latency_ms ?? null,
  processing_time_ms: doc.duration_ms ?? null,
  timestamp: doc.timestamp,
  message: doc.message ?? null
})

export const hasTransaction = (
  doc: EventDocument | undefined
): doc is EventDocument & { transaction_id: string } => typeof doc?.transaction_id === 'string'

/** Rows of replies given newest first: the newest of each transaction, in that order. */
export function newestPerTransaction(docs: Array<EventDocument | undefined>): RecentTransaction[] {
  const seen = new Set<string>()
  return docs.flatMap((doc) => {
    if (!hasTransaction(doc) || seen.has(doc.transaction_id)) return []
    seen.add(doc.transaction_id)
    return [recentRow(doc)]
  })
}
