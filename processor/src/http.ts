import { readFileSync } from 'node:fs'
import { checkDependency, createServiceServer, healthReport } from '@streaming/runtime'
import type { Logger } from 'pino'
import type { ProcessorMetrics } from './metrics.ts'

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { version: string }

/** One call per dependency that resolves once it answers (each is given 2 s to). */
export interface DependencyProbes {
  kafka: () => Promise<unknown>
  postgres: () => Promise<unknown>
  mongodb: () => Promise<unknown>
  redis: () => Promise<unknown>
}

export interface ProcessorHttpDeps {
  log: Logger
  metrics: ProcessorMetrics
  probes: DependencyProbes
  /** Whether the consumer runs: until it does, Kafka is not reported `ok` even if it answers. */
  isConsuming: () => boolean
}

/**
 * The processor's HTTP server: `/health` (200 when every dependency answers and the consumer
 * runs, otherwise 503 naming what fails) and `/metrics` (Prometheus). It only asks: the clients
 * it probes belong to the processor, which listens and closes it.
 */
export function createProcessorHttpServer(deps: ProcessorHttpDeps) {
  const { metrics, probes, isConsuming } = deps

  async function checkDependencies(): Promise<Record<string, string>> {
    const [kafka, postgres, mongodb, redis] = await Promise.all([
      checkDependency(probes.kafka),
      checkDependency(probes.postgres),
      checkDependency(probes.mongodb),
      checkDependency(probes.redis)
    ])
    return { kafka: isConsuming() ? kafka : 'consumer not running', postgres, mongodb, redis }
  }

  const server = createServiceServer({
    name: 'processor',
    version,
    logger: deps.log.child({ component: 'health' })
  })
  server.register(async (routes) => {
    routes.get('/health', { logLevel: 'warn' }, async (_request, reply) => {
      const report = healthReport('processor', await checkDependencies(), {
        consuming: isConsuming()
      })
      return reply.code(report.statusCode).send(report.body)
    })
    routes.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics())
    })
  })
  return server
}
