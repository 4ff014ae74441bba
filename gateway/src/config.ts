import { commonEnv, milliseconds, port, seconds } from '@streaming/contracts'
import { loadConfig } from '@streaming/runtime'
import Type, { type Static } from 'typebox'

/** One API key: 16 or more visible ASCII characters other than the comma that separates keys. */
const API_KEY = '[\\x21-\\x2B\\x2D-\\x7E]{16,}'

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
  }),
  RATE_LIMIT_MAX: Type.Integer({
    minimum: 0,
    default: 1_000,
    description: 'requests one client IP may make per window; 0 turns the limit off'
  }),
  RATE_LIMIT_WINDOW_MS: milliseconds(60_000, 'the window RATE_LIMIT_MAX counts over'),
  CORS_ORIGINS: Type.String({
    minLength: 1,
    default: 'http://127.0.0.1:8089,http://localhost:8089',
    description: 'comma-separated origins a browser may call the API from; * for any'
  }),
  API_KEYS: Type.String({
    // Empty, or comma-separated keys of at least 16 visible ASCII characters (no comma).
    pattern: `^(?:${API_KEY}(?:,${API_KEY})*)?$`,
    writeOnly: true,
    default: '',
    description:
      'comma-separated keys, one of which operation and status requests must send as X-API-Key; empty: no key needed'
  })
})

export type GatewayConfig = Static<typeof GatewayConfigSchema>

export const loadGatewayConfig = (env?: Record<string, string | undefined>): GatewayConfig =>
  loadConfig(GatewayConfigSchema, env)

/** The items of a comma-separated variable (CORS_ORIGINS, API_KEYS), without blanks. */
export const listOf = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
