import { commonEnv, milliseconds, port, seconds } from '@streaming/contracts'
import { loadConfig } from '@streaming/runtime'
import Type, { type Static } from 'typebox'

export const ProcessorConfigSchema = Type.Object({
  ...commonEnv,
  PROCESSOR_HOST: Type.String({
    default: '127.0.0.1',
    description: 'interface for health and metrics'
  }),
  PROCESSOR_PORT: port(8001, 'health and metrics'),
  PROCESSOR_GROUP_ID: Type.String({ minLength: 1, default: 'processor' }),
  POSTGRES_URL: Type.String({
    minLength: 1,
    default: 'postgres://streaming:streaming@127.0.0.1:5432/streaming'
  }),
  MONGO_URL: Type.String({ minLength: 1, default: 'mongodb://127.0.0.1:27017/streaming' }),
  REDIS_URL: Type.String({ minLength: 1, default: 'redis://127.0.0.1:6379' }),
  SESSION_TTL_SECONDS: seconds(1_800, 'expiry of a session without activity'),
  CONTENT_CACHE_TTL_SECONDS: seconds(3_600, 'expiry of a cached content entry'),
  PROCESSOR_REPLY_LOG_RETENTION_SECONDS: seconds(
    21_600,
    'how long the reply to each request is remembered, so a redelivered request is answered again without being applied twice: longer than any processor outage it must ride over (uncommitted requests are redelivered when it is back), hours not days'
  ),
  STATUS_RETENTION_SECONDS: seconds(
    86_400,
    "how long an operation's claim is kept: as long as the gateway keeps its status, so a late cancellation is still refused"
  ),
  PROCESSOR_RETRY_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 20,
    // With 200 ms doubling to 5 s, 8 attempts wait 8.1–16.2 s in all: longer than a store restart.
    default: 8,
    description: 'attempts on a transient store failure'
  }),
  PROCESSOR_RETRY_BASE_MS: milliseconds(200, 'first backoff delay, doubled at each retry'),
  PROCESSOR_RETRY_MAX_MS: milliseconds(5_000, 'longest backoff delay'),
  PROCESSOR_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 1_000,
    default: 32,
    description: 'requests of one partition applied at once (one entity at a time, in order)'
  }),
  PROCESSOR_COMMIT_EVERY: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 500,
    description: 'most requests answered before their offsets are committed'
  })
})

export type ProcessorConfig = Static<typeof ProcessorConfigSchema>

export const loadProcessorConfig = (env?: Record<string, string | undefined>): ProcessorConfig =>
  loadConfig(ProcessorConfigSchema, env)
