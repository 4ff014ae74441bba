import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export const modes = ['elasticsearch', 'fallback'] as const
export type Mode = (typeof modes)[number]

/** What the gauges read at scrape time. */
export interface MonitorState {
  mode: () => Mode | undefined
  spooled: () => number
  indexedPerSecond: () => number
  /** Records not yet stored, per partition; throws when Kafka does not answer. */
  consumerLag: () => Promise<Array<{ topic: string; partition: number; lag: number }>>
}

const noState: MonitorState = {
  mode: () => undefined,
  spooled: () => 0,
  indexedPerSecond: () => 0,
  consumerLag: async () => []
}

export function createMonitorMetrics(state: MonitorState = noState, registry = new Registry()) {
  collectDefaultMetrics({ register: registry })
  // In collect(), `this` is the gauge being scraped.
  const gauges = {
    mode: new Gauge({
      name: 'monitor_mode',
      help: 'Where documents go: 1 for the current mode (elasticsearch or fallback), 0 for the other',
      labelNames: ['mode'] as const,
      registers: [registry],
      collect() {
        const current = state.mode()
        for (const mode of modes) this.set({ mode }, current === mode ? 1 : 0)
      }
    }),
    spooled: new Gauge({
      name: 'monitor_spooled_documents',
      help: 'Documents waiting in the fallback file',
      registers: [registry],
      collect() {
        this.set(state.spooled())
      }
    }),
    rate: new Gauge({
      name: 'monitor_indexed_per_second',
      help: 'Documents Elasticsearch acknowledged per second, over the last 10 s',
      registers: [registry],
      collect() {
        this.set(state.indexedPerSecond())
      }
    }),
    lag: new Gauge({
      name: 'monitor_consumer_lag',
      help: 'Records not yet stored (end offset minus committed offset), by topic and partition',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        // No answer from Kafka: no lag series in this scrape rather than a wrong value.
        const lags = await state.consumerLag().catch(() => [])
        for (const { topic, partition, lag } of lags) {
          this.set({ topic, partition: String(partition) }, lag)
        }
      }
    })
  }
  return {
    gauges,
    registry,
    consumed: new Counter({
      name: 'monitor_events_consumed_total',
      help: 'Kafka records consumed, by topic',
      labelNames: ['topic'] as const,
      registers: [registry]
    }),
    indexed: new Counter({
      name: 'monitor_indexed_documents_total',
      help: 'Documents Elasticsearch acknowledged (replays of the fallback file included), by index and topic',
      labelNames: ['index', 'topic'] as const,
      registers: [registry]
    }),
    spooledTotal: new Counter({
      name: 'monitor_spooled_documents_total',
      help: 'Documents written to the fallback file',
      registers: [registry]
    }),
    replayed: new Counter({
      name: 'monitor_replayed_documents_total',
      help: 'Documents replayed from the fallback file into Elasticsearch',
      registers: [registry]
    }),
    malformed: new Counter({
      name: 'monitor_malformed_documents_total',
      help: 'Events indexed as malformed, by topic and reason (not-json, invalid-envelope, rejected, …)',
      labelNames: ['topic', 'reason'] as const,
      registers: [registry]
    }),
    dropped: new Counter({
      name: 'monitor_dropped_documents_total',
      help: 'Documents Elasticsearch refused even as malformed documents (logged, not retried)',
      registers: [registry]
    }),
    bulkRequests: new Counter({
      name: 'monitor_bulk_requests_total',
      help: 'Bulk requests, by outcome (ok, item_errors, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry]
    }),
    bulkDuration: new Histogram({
      name: 'monitor_bulk_duration_seconds',
      help: 'Time of one bulk request to Elasticsearch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry]
    }),
    bulkSize: new Histogram({
      name: 'monitor_bulk_documents',
      help: 'Documents in one bulk request',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry]
    })
  }
}

export type MonitorMetrics = ReturnType<typeof createMonitorMetrics>

/** Events per second over a sliding window of whole seconds (for /health and a gauge). */
export function createRateMeter(windowSeconds = 10, now = () => Date.now()) {
  const buckets = new Map<number, number>()
  const prune = (second: number) => {
    for (const key of buckets.keys()) if (key <= second - windowSeconds) buckets.delete(key)
  }
  return {
    add(count: number): void {
      const second = Math.floor(now() / 1000)
      buckets.set(second, (buckets.get(second) ?? 0) + count)
      prune(second)
    },
    /** Average per second over the last complete `windowSeconds` seconds. */
    perSecond(): number {
      const second = Math.floor(now() / 1000)
      prune(second)
      let total = 0
      for (const [key, count] of buckets) if (key < second) total += count
      return total / windowSeconds
    }
  }
}
