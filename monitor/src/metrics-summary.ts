// The live charts' data: the gateway's and the processor's Prometheus counters and histograms,
// read from their /metrics and folded into one compact JSON, plus the Kafka lag per group. The
// dashboard turns two successive answers into rates (operations/s, errors/s, dead letters/s).
import { withTimeout } from '@streaming/runtime'
import type { KafkaOverview } from './kafka-reads.ts'

/** Longest wait for one service's /metrics. */
const SCRAPE_TIMEOUT_MS = 2_000
/** Longest wait for the lag per group (as long as the Kafka pages wait for their admin reads). */
const LAG_TIMEOUT_MS = 5_000

/** One sample of the Prometheus text format: a metric name, its labels and its value. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?\s*/gy

const unescape = (text: string) =>
  text.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char))

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  return Number(text)
}

/**
 * Parses the Prometheus text exposition format (0.0.4): comments and blank lines are skipped,
 * as is any line that is not a well-formed sample.
 */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const match = LINE.exec(line)
    if (!match) continue
    const [, name = '', , body = '', valueText = ''] = match
    const labels: Record<string, string> = {}
    LABEL.lastIndex = 0
    let ok = true
    while (LABEL.lastIndex < body.length) {
      const label = LABEL.exec(body)
      if (!label) {
        ok = false
        break
      }
      labels[label[1] ?? ''] = unescape(label[2] ?? '')
    }
    const value = parseValue(valueText)
    if (!ok || Number.isNaN(value)) continue
    samples.push({ name, labels, value })
  }
  return samples
}

/** Cumulative histogram buckets: upper bound → count of observations at most that bound. */
export type Buckets = Array<[le: number, count: number]>

/**
 * The q-quantile (0..1) of a cumulative histogram, interpolated linearly inside the bucket it
 * falls in, as Prometheus' histogram_quantile does; null when there are no observations. A
 * quantile in the +Inf bucket is the highest finite bound.
 */
export function histogramQuantile(q: number, buckets: Buckets): number | null {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0])
  const total = sorted.at(-1)?.[1] ?? 0
  if (total <= 0) return null
  const rank = q * total
  let lowerBound = 0
  let lowerCount = 0
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound
      if (count === lowerCount) return le
      return lowerBound + (le - lowerBound) * ((rank - lowerCount) / (count - lowerCount))
    }
    lowerBound = le
    lowerCount = count
  }
  return lowerBound
}

/** Bucket-wise difference of two cumulative histograms (the observations between two reads). */
export function bucketDelta(now: Buckets, before: Buckets | undefined): Buckets {
  if (!before) return now
  const previous = new Map(before)
  return now.map(([le, count]) => [le, Math.max(0, count - (previous.get(le) ?? 0))])
}

export interface OperationSummary {
  /** Operations that reached a terminal status (the processor's replies), by status. */
  replies: Record<string, number>
  /** Observations of the processor's operation duration, and their cumulative buckets (s). */
  duration: { count: number; sum: number; buckets: Buckets }
}

export interface MetricsSummary {
  /** Milliseconds since the epoch of this read: the dashboard divides deltas by its differences. */
  at: number
  gateway: {
    up: boolean
    /** HTTP requests by status class (2xx, 4xx, 5xx). */
    requests: Record<string, number>
    /** gateway_operation_outcomes_total by event type and status. */
    outcomes: Record<string, Record<string, number>>
  }
  processor: {
    up: boolean
    operations: Record<string, OperationSummary>
    /** Dead letters by reason code. */
    dead_letters: Record<string, number>
    retries: number
    redeliveries: number
  }
  /** Records not yet consumed, by consumer group (summed over its topics and partitions). */
  lag: Record<string, number>
}

const add = (record: Record<string, number>, key: string, value: number) => {
  record[key] = (record[key] ?? 0) + value
}

/** The gateway's part of the summary from its samples. */
export function summarizeGateway(samples: Sample[]): Omit<MetricsSummary['gateway'], 'up'> {
  const requests: Record<string, number> = {}
  const outcomes: Record<string, Record<string, number>> = {}
  for (const { name, labels, value } of samples) {
    if (name === 'gateway_http_requests_total') {
      // The dashboard's own reads (health, metrics) are not operations.
      if (labels.route === '/health' || labels.route === '/metrics') continue
      add(requests, `${(labels.status_code ?? '0').charAt(0)}xx`, value)
    } else if (name === 'gateway_operation_outcomes_total') {
      const type = labels.event_type ?? 'desconhecido'
      add((outcomes[type] ??= {}), labels.status ?? 'unknown', value)
    }
  }
  return { requests, outcomes }
}

/** The processor's part of the summary from its samples. */
export function summarizeProcessor(samples: Sample[]): Omit<MetricsSummary['processor'], 'up'> {
  const operations: Record<string, OperationSummary> = {}
  const deadLetters: Record<string, number> = {}
  let retries = 0
  let redeliveries = 0
  const operation = (type: string | undefined) =>
    (operations[type ?? 'desconhecido'] ??= {
      replies: {},
      duration: { count: 0, sum: 0, buckets: [] }
    })
  for (const { name, labels, value } of samples) {
    switch (name) {
      case 'processor_replies_total':
        add(operation(labels.event_type).replies, labels.status ?? 'unknown', value)
        break
      case 'processor_operation_duration_seconds_bucket':
        operation(labels.event_type).duration.buckets.push([
          labels.le === '+Inf' ? Infinity : Number(labels.le),
          value
        ])
        break
      case 'processor_operation_duration_seconds_count':
        operation(labels.event_type).duration.count = value
        break
      case 'processor_operation_duration_seconds_sum':
        operation(labels.event_type).duration.sum = value
        break
      case 'processor_dead_letters_total':
        add(deadLetters, labels.code ?? 'unknown', value)
        break
      case 'processor_retries_total':
        retries += value
        break
      case 'processor_redeliveries_total':
        redeliveries += value
        break
    }
  }
  for (const summary of Object.values(operations)) {
    summary.duration.buckets.sort((a, b) => a[0] - b[0])
  }
  return { operations, dead_letters: deadLetters, retries, redeliveries }
}

/** Buckets as JSON carries them: +Inf becomes the string "+Inf". */
export const bucketsToJson = (buckets: Buckets): Array<[number | string, number]> =>
  buckets.map(([le, count]) => [le === Infinity ? '+Inf' : le, count])

/** Reads one service's /metrics within `timeoutMs`; undefined when it does not answer. */
export async function scrape(url: string, timeoutMs: number): Promise<Sample[] | undefined> {
  try {
    const response = await fetch(new URL('/metrics', url), {
      signal: AbortSignal.timeout(timeoutMs)
    })
    if (!response.ok) return undefined
    return parsePrometheus(await response.text())
  } catch {
    return undefined
  }
}

/** The live charts' data: the services' counters and histograms, and the lag per group. */
export async function metricsSummary(
  overview: (() => Promise<KafkaOverview>) | undefined,
  gatewayUrl: string,
  processorUrl: string
) {
  const [gateway, processor, lag] = await Promise.all([
    scrape(gatewayUrl, SCRAPE_TIMEOUT_MS),
    scrape(processorUrl, SCRAPE_TIMEOUT_MS),
    overview
      ? withTimeout(overview(), LAG_TIMEOUT_MS)
          .then(({ groups }) => Object.fromEntries(groups.map((g) => [g.group_id, g.lag])))
          .catch(() => null)
      : Promise.resolve(null)
  ])
  const summary: MetricsSummary = {
    at: Date.now(),
    gateway: { up: gateway !== undefined, ...summarizeGateway(gateway ?? []) },
    processor: { up: processor !== undefined, ...summarizeProcessor(processor ?? []) },
    lag: lag ?? {}
  }
  return {
    at: summary.at,
    gateway: summary.gateway,
    processor: {
      ...summary.processor,
      operations: Object.fromEntries(
        Object.entries(summary.processor.operations).map(([type, operation]) => [
          type,
          {
            replies: operation.replies,
            duration: {
              count: operation.duration.count,
              sum: operation.duration.sum,
              // Since the processor started; the dashboard takes the quantiles of deltas.
              p50: histogramQuantile(0.5, operation.duration.buckets),
              p95: histogramQuantile(0.95, operation.duration.buckets),
              buckets: bucketsToJson(operation.duration.buckets)
            }
          }
        ])
      )
    },
    kafka: { up: lag !== null },
    lag: summary.lag
  }
}
