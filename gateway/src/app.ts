import { readFileSync } from 'node:fs'
import { Topic, type TopicNames } from '@streaming/contracts'
import { httpErrors, httpServerOptions } from '@streaming/runtime'
import Fastify, { LogController, type FastifyServerOptions } from 'fastify'
import type { Redis } from 'ioredis'
import type { Kafka } from 'kafkajs'
import { listOf, type GatewayConfig } from './config.ts'
import { schemaController } from './validation.ts'
import apiKey from './plugins/api-key.ts'
import cors from './plugins/cors.ts'
import errors from './plugins/errors.ts'
import idempotency from './plugins/idempotency.ts'
import jsonBody from './plugins/json-body.ts'
import kafkaPlugin from './plugins/kafka.ts'
import metrics from './plugins/metrics.ts'
import queryString from './plugins/query-string.ts'
import rateLimit from './plugins/rate-limit.ts'
import redisPlugin from './plugins/redis.ts'
import requestLog from './plugins/request-log.ts'
import replyConsumer from './plugins/reply-consumer.ts'
import securityHeaders from './plugins/security-headers.ts'
import statusStore from './plugins/status-store.ts'
import swagger from './plugins/swagger.ts'
import cache from './routes/cache.ts'
import historico from './routes/historico.ts'
import recomendacoes from './routes/recomendacoes.ts'
import sessoes from './routes/sessoes.ts'
import status from './routes/status.ts'
import system from './routes/system.ts'
import usuarios from './routes/usuarios.ts'

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { version: string }

export interface GatewayDeps {
  config: GatewayConfig
  kafka: Kafka
  redis: Redis
  redisSubscriber: Redis
  logger?: FastifyServerOptions['loggerInstance']
  /** Defaults to the platform's topics. */
  topics?: TopicNames
}

/** The gateway: plugins and routes, not listening. The caller owns `listen` and `close`. */
export async function buildApp(deps: GatewayDeps) {
  const topics = deps.topics ?? Topic
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // 414/431 for an over-long URL or request head, and the router's refusals, in the error shape.
    ...httpServerOptions,
    // plugins/request-log.ts writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.GATEWAY_BODY_LIMIT_BYTES,
    return503OnClosing: true,
    schemaController
  })

  await app.register(errors)
  // 404, 405 with Allow and 414: before the routes, which it learns as they are added.
  await app.register(httpErrors)
  await app.register(requestLog)
  await app.register(jsonBody)
  await app.register(queryString)
  await app.register(metrics)
  await app.register(securityHeaders)
  await app.register(cors, { origins: listOf(deps.config.CORS_ORIGINS) })
  // Before the routes, which they hook as they are added; the rate limit before the key check.
  await app.register(rateLimit, {
    max: deps.config.RATE_LIMIT_MAX,
    windowMs: deps.config.RATE_LIMIT_WINDOW_MS
  })
  await app.register(apiKey, { keys: listOf(deps.config.API_KEYS) })
  await app.register(redisPlugin, { client: deps.redis, subscriber: deps.redisSubscriber })
  await app.register(kafkaPlugin, {
    kafka: deps.kafka,
    ackTimeoutMs: deps.config.KAFKA_ACK_TIMEOUT_MS,
    requestsTopic: topics.requests,
    maxBatch: deps.config.KAFKA_PRODUCE_MAX_BATCH
  })
  await app.register(statusStore, { retentionSeconds: deps.config.STATUS_RETENTION_SECONDS })
  await app.register(idempotency, {
    retentionSeconds: deps.config.STATUS_RETENTION_SECONDS,
    // Long enough for the slowest acceptance (the Kafka bound), short enough to free a key
    // whose gateway died mid-request.
    claimSeconds: Math.ceil((3 * deps.config.KAFKA_ACK_TIMEOUT_MS) / 1000) + 5
  })
  await app.register(replyConsumer, {
    groupId: deps.config.GATEWAY_GROUP_ID,
    responsesTopic: topics.responses
  })
  await app.register(swagger, {
    version,
    apiKeys: deps.config.API_KEYS !== '',
    rateLimited: deps.config.RATE_LIMIT_MAX > 0
  })

  await app.register(system, { version })
  await app.register(usuarios)
  await app.register(historico)
  await app.register(recomendacoes)
  await app.register(sessoes)
  await app.register(cache)
  await app.register(status)
  return app
}

export type GatewayApp = Awaited<ReturnType<typeof buildApp>>
