import { readFileSync } from 'node:fs'
import type { Client } from '@elastic/elasticsearch'
import type { TopicNames } from '@streaming/contracts'
import { checkDependency, createServiceServer, healthReport } from '@streaming/runtime'
import { LogController } from 'fastify'
import type { Admin, Kafka } from 'kafkajs'
import type { Logger } from 'pino'
import { describeError } from './describe-error.ts'
import type { IndexNames } from './index-names.ts'
import { kafkaAdminRoutes } from './kafka-admin-routes.ts'
import type { Mode, MonitorMetrics } from './metrics.ts'
import { transactionRoutes } from './transactions.ts'

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { version: string }

/** What the HTTP server reads of the running monitor, at each request. */
export interface MonitorHttpState {
  /** Whether the consumer is in its group and consuming. */
  consuming: () => boolean
  /** The monitor's connected admin client (undefined before start). */
  admin: () => Admin | undefined
  mode: () => Mode
  spooled: () => number
  indexedPerSecond: () => number
}

export interface MonitorHttpOptions {
  log: Logger
  kafka: Kafka
  elasticsearch: Client
  metrics: MonitorMetrics
  names: IndexNames
  topics: TopicNames
  gatewayUrl: string
  processorUrl: string
  state: MonitorHttpState
}

/**
 * The monitor's HTTP server: `/health`, `/metrics`, the recent transactions and traces
 * (`transactions.ts`), the Kafka pages and the live charts' data (`kafka-admin-routes.ts`).
 * Not listening yet: `listen()` binds it.
 */
export function createMonitorHttp(options: MonitorHttpOptions) {
  const { elasticsearch: client, metrics, state } = options
  // Health checks and scrapes every few seconds would drown the log; failures are logged instead.
  const http = createServiceServer({
    name: 'monitor',
    version,
    logger: options.log,
    logController: new LogController({ disableRequestLogging: true })
  })
  http.register(async (server) => {
    server.get('/health', async (_request, reply) => {
      const [kafka, es] = await Promise.all([
        state.consuming()
          ? checkDependency(
              async () => {
                const admin = state.admin()
                if (!admin) throw new Error('not started')
                await admin.describeCluster()
              },
              2_000,
              describeError
            )
          : Promise.resolve('consumer not running'),
        checkDependency(
          () => client.cluster.health({}, { requestTimeout: 2_000, maxRetries: 0 }),
          2_000,
          describeError
        )
      ])
      // Elasticsearch away is not unhealthy: the monitor goes on into its fallback file.
      const report = healthReport(
        'monitor',
        { kafka, elasticsearch: es },
        {
          mode: state.mode(),
          spooled: state.spooled(),
          indexed_per_second: state.indexedPerSecond()
        },
        ['kafka']
      )
      return reply.code(report.statusCode).send(report.body)
    })

    server.get('/metrics', async (_request, reply) => {
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics())
    })
  })
  http.register(transactionRoutes, { client, names: options.names, topics: options.topics })
  http.register(kafkaAdminRoutes, {
    kafka: options.kafka,
    admin: state.admin,
    gatewayUrl: options.gatewayUrl,
    processorUrl: options.processorUrl
  })
  return http
}

export type MonitorHttp = ReturnType<typeof createMonitorHttp>
