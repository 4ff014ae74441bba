import type { RequestEnvelope } from '@streaming/contracts'
import { createProduceBatcher } from '@streaming/runtime'
import fp from 'fastify-plugin'
import type { Kafka, Producer } from 'kafkajs'
import { serviceUnavailable } from '../errors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    kafka: Kafka
    requests: RequestPublisher
  }
}

export interface RequestPublisher {
  /** Resolves once Kafka acknowledged the request from all in-sync replicas; 503 otherwise. */
  publish: (request: RequestEnvelope, key: string) => Promise<void>
  /** True when the broker answers a metadata request within the bound. */
  check: () => Promise<void>
}

export interface KafkaPluginOptions {
  kafka: Kafka
  ackTimeoutMs: number
  requestsTopic: string
  /** Most messages one produce request gathers. */
  maxBatch: number
}

/** Connects on first use and shares that attempt; a failed attempt is retried by the next call. */
function connectOnce(open: () => Promise<void>): () => Promise<void> {
  let attempt: Promise<void> | undefined
  return () =>
    (attempt ??= open().catch((err: unknown) => {
      attempt = undefined
      throw err
    }))
}

export default fp<KafkaPluginOptions>(
  async (app, { kafka, ackTimeoutMs, requestsTopic, maxBatch }) => {
    const producer: Producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: ackTimeoutMs }
    })
    const batcher = createProduceBatcher(producer, requestsTopic, {
      maxBatch,
      timeoutMs: ackTimeoutMs
    })
    const inFlight = new Set<Promise<unknown>>()
    const connect = connectOnce(() => producer.connect())
    // One admin connection for the health checks, instead of a new one at every poll.
    const admin = kafka.admin()
    const connectAdmin = connectOnce(() => admin.connect())

    /**
     * Runs `work` with a deadline: past it the caller gets a 503 and `work` sees its signal
     * aborted, so a request still waiting to be sent is dropped rather than published late.
     */
    const bounded = async <T>(
      work: (signal: AbortSignal) => Promise<T>,
      what: string
    ): Promise<T> => {
      const deadline = new AbortController()
      const timer = setTimeout(() => deadline.abort(), ackTimeoutMs)
      const tracked = work(deadline.signal).finally(() => inFlight.delete(tracked))
      inFlight.add(tracked)
      try {
        return await Promise.race([
          tracked,
          new Promise<never>((_resolve, reject) => {
            deadline.signal.addEventListener('abort', () =>
              reject(new Error(`${what}: no acknowledgement within ${ackTimeoutMs} ms`))
            )
          })
        ])
      } catch (err) {
        throw serviceUnavailable(
          'Kafka não confirmou a requisição a tempo; tente novamente em alguns segundos',
          err
        )
      } finally {
        clearTimeout(timer)
      }
    }

    app.decorate('kafka', kafka)
    app.decorate('requests', {
      async publish(request: RequestEnvelope, key: string) {
        const started = performance.now()
        await bounded(async (signal) => {
          await connect()
          await batcher.send(
            { key, value: JSON.stringify(request), headers: { event_type: request.event_type } },
            signal
          )
        }, 'produce')
        app.metrics.produceDuration.observe((performance.now() - started) / 1000)
      },
      async check() {
        await bounded(async () => {
          await connectAdmin()
          await admin.describeCluster()
        }, 'metadata')
      }
    })

    // Connect early so the first request does not pay for it; a broker that is down now is
    // retried on the first publish.
    app.addHook('onReady', async () => {
      await connect().catch((err: unknown) =>
        app.log.warn({ err }, 'Kafka not reachable at start-up')
      )
    })
    app.addHook('onClose', async () => {
      await Promise.allSettled(inFlight)
      await Promise.allSettled([producer.disconnect(), admin.disconnect()])
    })
  },
  { name: 'kafka', dependencies: ['metrics'] }
)
