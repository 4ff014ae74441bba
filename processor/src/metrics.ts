import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export function createProcessorMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    replies: new Counter({
      name: 'processor_replies_total',
      help: 'Replies published, by operation and status',
      labelNames: ['event_type', 'status'] as const,
      registers: [registry]
    }),
    duration: new Histogram({
      name: 'processor_operation_duration_seconds',
      help: 'Time from consuming a request to publishing its reply',
      labelNames: ['event_type'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry]
    }),
    retries: new Counter({
      name: 'processor_retries_total',
      help: 'Retries after a transient store failure',
      labelNames: ['event_type'] as const,
      registers: [registry]
    }),
    redeliveries: new Counter({
      name: 'processor_redeliveries_total',
      help: 'Requests delivered again and answered from the reply log',
      labelNames: ['event_type'] as const,
      registers: [registry]
    }),
    deadLetters: new Counter({
      name: 'processor_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by reason code',
      labelNames: ['code'] as const,
      registers: [registry]
    })
  }
}

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>
