import { commonEnv, loadConfig, milliseconds, port, seconds } from '@streaming/contracts'
import Type, { type Static } from 'typebox'

export const GatewayConfigSchema = Type.Object({
  ...commonEnv,
  GATEWAY_HOST: Type.String({ default: '127.0.0.1', description: 'interface to listen on' }),
  GATEWAY_PORT: port(8000, 'HTTP API and Swagger UI'),
  REDIS_URL: Type.String({ minLength: 1, default: 'redis://127.0.0.1:6379' }),
  STATUS_RETENTION_SECONDS: seconds(86_400, 'how long an operation status is kept'),
  KAFKA_ACK_TIMEOUT_MS: milliseconds(4_000, 'bound on waiting for Kafka to acknowledge a request'),
  KAFKA_PRODUCE_MAX_BATCH: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 500,
    description: 'most requests gathered into one produce request'
  }),
  GATEWAY_GROUP_ID: Type.String({
    minLength: 1,
    default: 'gateway-status',
    description: 'consumer group of the replies'
  }),
  GATEWAY_BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    default: 65_536,
    description: 'largest accepted request body'
  })
})

export type GatewayConfig = Static<typeof GatewayConfigSchema>

export const loadGatewayConfig = (env?: Record<string, string | undefined>): GatewayConfig =>
  loadConfig(GatewayConfigSchema, env)
