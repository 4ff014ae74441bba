import { checkDependency, healthReport } from '@streaming/runtime'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Tag } from './tags.ts'

const tags = [Tag.sistema]

const HealthResponse = Type.Object({
  status: Type.Enum(['ok', 'unavailable']),
  service: Type.String(),
  checks: Type.Record(Type.String(), Type.String()),
  failing: Type.Optional(Type.Array(Type.String()))
})

export default async function system(app: FastifyInstance, options: { version: string }) {
  app.get('/', {
    schema: {
      operationId: 'getServiceInfo',
      tags,
      summary: 'Service name, version and status',
      response: {
        200: Type.Object({
          name: Type.String(),
          version: Type.String(),
          status: Type.String(),
          docs: Type.String()
        })
      }
    },
    handler: async () => ({
      name: 'streaming-platform-gateway',
      version: options.version,
      status: 'ok',
      docs: '/docs'
    })
  })

  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags,
      summary: 'Readiness: Kafka and the status store (Redis) checked for real',
      response: { 200: HealthResponse, 503: HealthResponse }
    },
    handler: async (_request, reply) => {
      const [kafka, redis] = await Promise.all([
        checkDependency(() => app.requests.check(), 3_000),
        checkDependency(() => app.redis.ping(), 2_000)
      ])
      const report = healthReport('gateway', { kafka, redis })
      return reply.code(report.statusCode).send(report.body)
    }
  })

  app.get('/metrics', {
    schema: {
      operationId: 'getMetrics',
      tags,
      summary: 'Prometheus metrics',
      produces: ['text/plain'],
      response: {
        200: {
          description: 'Prometheus text exposition format',
          content: { 'text/plain': { schema: Type.String() } }
        }
      }
    },
    handler: async (_request, reply) => {
      return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics())
    }
  })
}
