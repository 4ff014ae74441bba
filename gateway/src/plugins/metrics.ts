import fp from 'fastify-plugin'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

function createGatewayMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpRequests: new Counter({
      name: 'gateway_http_requests_total',
      help: 'HTTP requests, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry]
    }),
    httpDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP request latency, by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry]
    }),
    produceDuration: new Histogram({
      name: 'gateway_kafka_produce_duration_seconds',
      help: 'Time from publishing a request to its acknowledgement by Kafka',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry]
    }),
    outcomes: new Counter({
      name: 'gateway_operation_outcomes_total',
      help: 'Operations that reached a terminal status, by operation and status',
      labelNames: ['event_type', 'status'] as const,
      registers: [registry]
    })
  }
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics
  }
}

/** Prometheus metrics of the gateway; one registry per app, so tests and replicas never share one. */
export default fp(
  async (app) => {
    const metrics = createGatewayMetrics()
    app.decorate('metrics', metrics)
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL: one series per route, whatever the ids in the path.
      const route = request.routeOptions.url ?? 'unmatched'
      metrics.httpRequests.inc({ method: request.method, route, status_code: reply.statusCode })
      metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
    })
  },
  { name: 'metrics' }
)
