import type { Client } from '@elastic/elasticsearch'
import { backoffDelay, type BackoffPolicy } from '@streaming/runtime'
import type { Logger } from 'pino'
import { rejectedAction, type IndexAction } from './documents.ts'
import type { MonitorMetrics } from './metrics.ts'

// The Elasticsearch bulk API as the indexer uses it: one request per chunk, then each item's
// answer sorted into indexed, malformed (the document itself was refused) or transient (refused
// for a while), with the refused items retried.

/** A document ready for the bulk API. */
export interface BulkItem {
  action: IndexAction
  /** The document as JSON, serialized once. */
  source: string
}

export interface BulkOutcome<T extends BulkItem> {
  /** Documents neither in Elasticsearch nor dropped: the caller must put them in the file. */
  failed: T[]
  error?: unknown
}

/** What the indexer asks the bulk API to answer (its `filter_path`): each item's status and error. */
export interface BulkAnswer {
  errors: boolean
  items?: Array<Partial<Record<string, { status?: number; error?: BulkItemError }>>>
}

interface BulkItemError {
  type?: string
  reason?: string | null
}

export type BulkItemVerdict =
  | { kind: 'indexed' }
  /** Refused for what it holds (a mapping or parse error): retrying would be refused again. */
  | { kind: 'malformed'; status: number; reason: string }
  /** Refused for a while (429, 5xx, a write block, a closed index): worth retrying. */
  | { kind: 'transient'; status: number; reason: string }

/**
 * The verdict on each of the `count` items of one bulk request, in order. With `errors: false`
 * every item was acknowledged; an item without an answer counts as transient.
 */
export function classifyBulkItems(answer: BulkAnswer, count: number): BulkItemVerdict[] {
  return Array.from({ length: count }, (_, i): BulkItemVerdict => {
    const result = answer.errors ? Object.values(answer.items?.[i] ?? {})[0] : undefined
    const status = result?.status ?? (answer.errors ? 0 : 201)
    if (status >= 200 && status < 300) return { kind: 'indexed' }
    const reason = `${result?.error?.type ?? 'unknown'}: ${result?.error?.reason ?? `status ${status}`}`
    // 400 is a problem of the document itself (mapping, parse), except a closed index.
    if (status === 400 && result?.error?.type !== 'index_closed_exception') {
      return { kind: 'malformed', status, reason }
    }
    return { kind: 'transient', status, reason }
  })
}

/**
 * Waits between retry rounds of refused items: 400 ms, doubling, up to `maxMs`. No jitter: one
 * indexer retries, with no peers to fall out of step with.
 */
export const bulkRetryBackoff = (maxMs: number): BackoffPolicy => ({
  baseDelayMs: 400,
  maxDelayMs: maxMs,
  jitter: 'none'
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface BulkWriterOptions {
  client: Client
  log: Logger
  metrics: MonitorMetrics
  /** Prefix of the malformed index refused documents are rewritten to. */
  prefix: string
  /** Rounds of retry for documents refused for a while (429, 5xx) before they are given back. */
  retries: number
  /** Longest wait between two rounds. */
  maxRetryDelayMs: number
  requestTimeoutMs: number
  /** Called for every document Elasticsearch acknowledged. */
  onIndexed?: (count: number) => void
}

/**
 * Sends chunks with the bulk API. Acknowledged documents are done; documents refused for what
 * they hold are rewritten as malformed documents under the same id and sent again; documents
 * refused for a while are retried with backoff `retries` times. What is still not in
 * Elasticsearch then, or when the request itself fails, is given back as `failed`.
 */
export function createBulkWriter(options: BulkWriterOptions) {
  const { client, log, metrics } = options
  const requestOptions = { requestTimeout: options.requestTimeoutMs, maxRetries: 0 }
  const retryBackoff = bulkRetryBackoff(options.maxRetryDelayMs)

  return async function bulk<T extends BulkItem>(chunk: T[]): Promise<BulkOutcome<T>> {
    let pending = chunk
    let retryRounds = 0
    while (pending.length > 0) {
      const operations: string[] = []
      for (const { action, source } of pending) {
        operations.push(JSON.stringify({ index: { _index: action.index, _id: action.id } }), source)
      }
      const started = performance.now()
      let response: BulkAnswer
      try {
        response = await client.bulk(
          {
            operations: operations as unknown as object[],
            filter_path: ['errors', 'items.*.status', 'items.*.error.type', 'items.*.error.reason']
          },
          requestOptions
        )
      } catch (err) {
        metrics.bulkRequests.inc({ outcome: 'failed' })
        return { failed: pending, error: err }
      } finally {
        metrics.bulkDuration.observe((performance.now() - started) / 1000)
        metrics.bulkSize.observe(pending.length)
      }
      metrics.bulkRequests.inc({ outcome: response.errors ? 'item_errors' : 'ok' })

      const verdicts = classifyBulkItems(response, pending.length)
      const next: T[] = []
      let transient = 0
      let lastReason = ''
      let indexed = 0
      pending.forEach((item, i) => {
        const verdict = verdicts[i]!
        if (verdict.kind === 'indexed') {
          indexed++
          metrics.indexed.inc({ index: item.action.index, topic: item.action.document.topic })
          return
        }
        const { reason } = verdict
        if (verdict.kind === 'malformed') {
          if (item.action.document.malformed && item.action.document.error_code === 'rejected') {
            // Even the malformed form was refused: nothing more can be done with it.
            metrics.dropped.inc()
            log.error(
              { id: item.action.id, index: item.action.index, reason },
              'document refused even as malformed; dropped'
            )
            return
          }
          log.warn(
            {
              id: item.action.id,
              index: item.action.index,
              correlation_id: item.action.document.transaction_id,
              reason
            },
            'document refused by Elasticsearch; indexing it as malformed'
          )
          metrics.malformed.inc({ topic: item.action.document.topic, reason: 'rejected' })
          const replacement = rejectedAction(item.action, reason, options.prefix)
          next.push({ ...item, action: replacement, source: JSON.stringify(replacement.document) })
          return
        }
        transient++
        lastReason = reason
        next.push(item)
      })
      if (indexed > 0) options.onIndexed?.(indexed)
      pending = next
      if (transient > 0) {
        if (retryRounds >= options.retries) {
          return {
            failed: pending,
            error: new Error(`${transient} documents still refused: ${lastReason}`)
          }
        }
        retryRounds++
        const delay = backoffDelay(retryBackoff, retryRounds)
        log.warn(
          { transient, reason: lastReason, retry_in_ms: delay },
          'bulk items refused; retrying'
        )
        await sleep(delay)
      }
    }
    return { failed: [] }
  }
}

export type BulkWriter = ReturnType<typeof createBulkWriter>
