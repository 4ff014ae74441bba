import { commonEnv, milliseconds, port } from '@streaming/contracts'
import { loadConfig } from '@streaming/runtime'
import Type, { type Static } from 'typebox'

export const MonitorConfigSchema = Type.Object({
  ...commonEnv,
  MONITOR_HOST: Type.String({
    default: '127.0.0.1',
    description: 'interface for health and metrics'
  }),
  MONITOR_PORT: port(8002, 'health, metrics and the recent-transactions API'),
  MONITOR_GATEWAY_URL: Type.String({
    minLength: 1,
    default: 'http://127.0.0.1:8000',
    description: 'base URL of the gateway, whose /metrics feeds GET /metrics/summary'
  }),
  MONITOR_PROCESSOR_URL: Type.String({
    minLength: 1,
    default: 'http://127.0.0.1:8001',
    description: 'base URL of the processor, whose /metrics feeds GET /metrics/summary'
  }),
  MONITOR_GROUP_ID: Type.String({ minLength: 1, default: 'monitor' }),
  ELASTICSEARCH_URL: Type.String({ minLength: 1, default: 'http://127.0.0.1:9200' }),
  MONITOR_FALLBACK_FILE: Type.String({
    minLength: 1,
    default: 'monitor/data/fallback.ndjson',
    description: 'NDJSON file that holds events while Elasticsearch is unreachable'
  }),
  MONITOR_BULK_MAX_DOCS: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 1_000,
    description: 'most documents in one bulk request'
  }),
  MONITOR_BULK_MAX_BYTES: Type.Integer({
    minimum: 1_024,
    default: 5 * 1024 * 1024,
    description: 'most bytes of documents in one bulk request'
  }),
  MONITOR_BULK_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 16,
    default: 2,
    description: 'bulk requests in flight at once'
  }),
  MONITOR_BULK_FLUSH_MS: milliseconds(
    500,
    'longest time a document waits for its bulk request to fill up'
  ),
  MONITOR_BULK_RETRIES: Type.Integer({
    minimum: 0,
    maximum: 20,
    default: 3,
    description: 'retries of documents Elasticsearch refused for a while (429, 5xx) before the file'
  }),
  MONITOR_ES_TIMEOUT_MS: milliseconds(10_000, 'longest wait for one bulk request'),
  MONITOR_PROBE_BASE_MS: milliseconds(1_000, 'first wait before probing Elasticsearch again'),
  MONITOR_PROBE_MAX_MS: milliseconds(30_000, 'longest wait between probes of Elasticsearch'),
  MONITOR_INDEX_REPLICAS: Type.Integer({
    minimum: 0,
    maximum: 10,
    default: 0,
    description: 'replicas of each index (0 suits a single Elasticsearch node)'
  }),
  MONITOR_SESSION_TIMEOUT_MS: milliseconds(
    30_000,
    'Kafka consumer session timeout: how soon the group notices a monitor that died'
  )
})

export type MonitorConfig = Static<typeof MonitorConfigSchema>

export const loadMonitorConfig = (env?: Record<string, string | undefined>): MonitorConfig =>
  loadConfig(MonitorConfigSchema, env)
