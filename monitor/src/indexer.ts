import type { Client } from '@elastic/elasticsearch'
import { createBackoff } from '@streaming/runtime'
import type { Logger } from 'pino'
import { createBulkWriter, type BulkItem, type BulkOutcome } from './bulk.ts'
import { describeError } from './describe-error.ts'
import type { IndexAction } from './documents.ts'
import type { Mode, MonitorMetrics } from './metrics.ts'
import type { Spool } from './spool.ts'
import { ensureTemplates } from './templates.ts'

export interface IndexerOptions {
  client: Client
  spool: Spool
  log: Logger
  metrics: MonitorMetrics
  prefix: string
  replicas: number
  maxDocs: number
  maxBytes: number
  flushMs: number
  /** Bulk requests in flight at once. */
  concurrency: number
  /** Rounds of retry for documents refused for a while (429, 5xx) before they go to the file. */
  retries: number
  requestTimeoutMs: number
  probeBaseMs: number
  probeMaxMs: number
  /** Called for every document Elasticsearch acknowledged. */
  onIndexed?: (count: number) => void
}

/** A caller's documents: settled once every one of them is in Elasticsearch or in the file. */
interface Ticket {
  remaining: number
  resolve: () => void
  reject: (err: unknown) => void
}

interface Pending extends BulkItem {
  ticket?: Ticket
}

const bytesOf = (pending: Pending) => pending.source.length + pending.action.id.length + 64

/**
 * Writes documents to Elasticsearch with the bulk API, or to the fallback file while
 * Elasticsearch is unreachable; every `add` resolves only once its documents are durable in one
 * of the two.
 *
 * A bulk request leaves when the buffer holds `maxDocs` documents or `maxBytes` bytes, when its
 * oldest document has waited `flushMs`, or when `flush()` is called (the consumer calls it once
 * every batch in hand has been handed over, so nobody waits for documents that are not coming).
 * One loop sends the requests, up to `concurrency` at a time; documents that arrive meanwhile make
 * the next ones. Items refused for what they hold (400: mapping or parse errors) are written again as
 * malformed documents under the same id; items refused for a while (429, 5xx) are retried (both in
 * `bulk.ts`), then go to the file; a failed request (connection, timeout, HTTP error) sends its
 * documents to the file and the indexer into fallback mode. In fallback mode a probe with exponential backoff waits
 * for Elasticsearch; when it answers, the loop replays the file (same ids), clears it and returns
 * to Elasticsearch mode. Because that same loop is the only writer of the file, appends, replay
 * and the switch back never interleave.
 */
export function createIndexer(options: IndexerOptions) {
  const { client, spool, log, metrics } = options
  let mode: Mode = 'elasticsearch'
  let lastError: string | undefined
  let buffer: Pending[] = []
  let bufferBytes = 0
  let timer: NodeJS.Timeout | undefined
  let loop: Promise<void> | undefined
  let again = false
  let recoverRequested = false
  let probeTimer: NodeJS.Timeout | undefined
  // No jitter: one monitor probes, with no peers to fall out of step with.
  const probeBackoff = createBackoff({
    baseDelayMs: options.probeBaseMs,
    maxDelayMs: options.probeMaxMs,
    jitter: 'none'
  })
  let closed = false
  const requestOptions = { requestTimeout: options.requestTimeoutMs, maxRetries: 0 }
  const bulk = createBulkWriter({
    client,
    log,
    metrics,
    prefix: options.prefix,
    retries: options.retries,
    maxRetryDelayMs: options.probeMaxMs,
    requestTimeoutMs: options.requestTimeoutMs,
    ...(options.onIndexed ? { onIndexed: options.onIndexed } : {})
  })

  function setMode(next: Mode, reason?: string): void {
    if (next !== mode) {
      if (next === 'fallback') {
        log.warn(
          { reason, file: spool.path },
          'Elasticsearch unavailable: documents go to the fallback file'
        )
      } else {
        log.info('Elasticsearch available again: indexing directly')
      }
    }
    mode = next
  }

  function enterFallback(err: unknown): void {
    lastError = describeError(err)
    setMode('fallback', lastError)
    scheduleProbe()
  }

  /** The wait before the next probe, or undefined when one is scheduled already. */
  function scheduleProbe(): number | undefined {
    if (probeTimer || closed) return undefined
    const delay = probeBackoff.next()
    probeTimer = setTimeout(() => {
      probeTimer = undefined
      probe().catch((err: unknown) => log.error({ err }, 'Elasticsearch probe failed'))
    }, delay)
    return delay
  }

  async function probe(): Promise<void> {
    try {
      const health = await client.cluster.health(
        { wait_for_status: 'yellow', timeout: '1s' },
        { requestTimeout: 3_000, maxRetries: 0 }
      )
      if (health.status === 'red' || health.timed_out) throw new Error(`cluster ${health.status}`)
    } catch (err) {
      if (closed) return
      lastError = describeError(err)
      const nextProbeMs = scheduleProbe()
      log.debug({ err: lastError, next_probe_ms: nextProbeMs }, 'Elasticsearch still unavailable')
      return
    }
    if (closed) return
    recoverRequested = true
    kick()
  }

  /** Puts the templates in place, replays the file, clears it, and returns to Elasticsearch mode. */
  async function recover(): Promise<void> {
    recoverRequested = false
    const waiting = spool.count
    try {
      await ensureTemplates(
        client,
        { prefix: options.prefix, replicas: options.replicas },
        requestOptions
      )
      let replayed = 0
      for await (const actions of spool.read(options.maxDocs, options.maxBytes)) {
        const chunk = actions.map((action) => ({ action, source: JSON.stringify(action.document) }))
        const outcome = await bulk(chunk)
        if (outcome.failed.length > 0) throw outcome.error
        replayed += chunk.length
        metrics.replayed.inc(chunk.length)
      }
      if (replayed < waiting) {
        log.error(
          { unreadable: waiting - replayed, file: spool.path },
          'lines of the fallback file could not be read; they are lost'
        )
      }
      await spool.clear()
      probeBackoff.reset()
      lastError = undefined
      if (waiting > 0) {
        log.info({ replayed, file: spool.path }, 'fallback file replayed and cleared')
      }
      setMode('elasticsearch')
    } catch (err) {
      log.warn(
        { err: describeError(err), waiting: spool.count },
        'replay of the fallback file failed; staying in fallback mode'
      )
      enterFallback(err)
    }
  }

  /**
   * Makes a chunk durable: Elasticsearch (the bulk request already under way, if any), or the
   * file.
   */
  async function write(chunk: Pending[], sent?: Promise<BulkOutcome<Pending>>): Promise<void> {
    if (sent || mode === 'elasticsearch') {
      const outcome = await (sent ?? bulk(chunk))
      if (outcome.failed.length === 0) return
      await spool.append(outcome.failed.map(({ action }) => action))
      metrics.spooledTotal.inc(outcome.failed.length)
      enterFallback(outcome.error)
      return
    }
    await spool.append(chunk.map(({ action }) => action))
    metrics.spooledTotal.inc(chunk.length)
  }

  function takeChunk(): Pending[] {
    let bytes = 0
    let count = 0
    while (count < buffer.length && count < options.maxDocs) {
      const size = bytesOf(buffer[count]!)
      if (count > 0 && bytes + size > options.maxBytes) break
      bytes += size
      count++
    }
    const chunk = buffer.slice(0, count)
    buffer = buffer.slice(count)
    bufferBytes -= bytes
    return chunk
  }

  async function drain(): Promise<void> {
    if (recoverRequested) await recover()
    while (buffer.length > 0) {
      // In Elasticsearch mode several bulk requests go at once; their outcomes are then taken
      // in order, so the file still has a single writer and keeps the order of the documents.
      const chunks = [takeChunk()]
      if (mode === 'elasticsearch') {
        while (buffer.length > 0 && chunks.length < options.concurrency) chunks.push(takeChunk())
      }
      const sent = mode === 'elasticsearch' ? chunks.map((chunk) => bulk(chunk)) : []
      for (const [i, chunk] of chunks.entries()) {
        await settle(chunk, write(chunk, sent[i]))
      }
      if (recoverRequested) await recover()
    }
  }

  /** Settles the callers' tickets of a chunk once it is durable, or fails them. */
  async function settle(chunk: Pending[], written: Promise<void>): Promise<void> {
    try {
      await written
    } catch (err) {
      // The file could not be written either (disk full, permissions): the callers' batches
      // fail, their offsets stay uncommitted, and Kafka delivers them again.
      log.error({ err, file: spool.path }, 'documents could not be stored anywhere')
      for (const { ticket } of chunk) {
        if (ticket && ticket.remaining > 0) {
          ticket.remaining = 0
          ticket.reject(err)
        }
      }
      return
    }
    for (const { ticket } of chunk) {
      if (ticket && ticket.remaining > 0 && --ticket.remaining === 0) ticket.resolve()
    }
  }

  /** Starts the loop now (or makes it go round once more). */
  function kick(): void {
    clearTimeout(timer)
    timer = undefined
    if (loop) {
      again = true
      return
    }
    loop = (async () => {
      try {
        // `again`, the buffer and `recoverRequested` change while drain() awaits.
        const moreToDo = () => again || buffer.length > 0 || recoverRequested
        do {
          again = false
          await drain()
        } while (moreToDo())
      } finally {
        loop = undefined
      }
    })()
  }

  return {
    get mode(): Mode {
      return mode
    },
    /** Documents waiting in the fallback file. */
    get spooled(): number {
      return spool.count
    },
    get lastError(): string | undefined {
      return lastError
    },

    /**
     * Templates first; then, if the file holds documents from an earlier run (or Elasticsearch
     * does not answer), fallback mode until they are replayed.
     */
    async start(): Promise<void> {
      try {
        await ensureTemplates(
          client,
          { prefix: options.prefix, replicas: options.replicas },
          requestOptions
        )
      } catch (err) {
        log.warn({ err: describeError(err) }, 'Elasticsearch unavailable at start')
        enterFallback(err)
        return
      }
      if (spool.count > 0) {
        setMode('fallback', `${spool.count} documents in the fallback file`)
        log.info({ waiting: spool.count, file: spool.path }, 'replaying the fallback file')
        recoverRequested = true
        kick()
      }
    },

    /** Resolves once every document given is in Elasticsearch or in the file. */
    add(actions: IndexAction[]): Promise<void> {
      if (closed) return Promise.reject(new Error('indexer closed'))
      if (actions.length === 0) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const ticket: Ticket = { remaining: actions.length, resolve, reject }
        for (const action of actions) {
          const pending: Pending = { action, source: JSON.stringify(action.document), ticket }
          buffer.push(pending)
          bufferBytes += bytesOf(pending)
        }
        if (buffer.length >= options.maxDocs || bufferBytes >= options.maxBytes) kick()
        else timer ??= setTimeout(kick, options.flushMs)
      })
    },

    /** Sends what the buffer holds without waiting for it to fill. */
    flush(): void {
      if (buffer.length > 0) kick()
    },

    /** Writes what is in hand, stops probing. The file stays for the next start to replay. */
    async close(): Promise<void> {
      closed = true
      clearTimeout(probeTimer)
      probeTimer = undefined
      recoverRequested = false
      if (buffer.length > 0) kick()
      for (let running = loop; running; running = loop) await running
      clearTimeout(timer)
    }
  }
}

export type Indexer = ReturnType<typeof createIndexer>
