import { commonEnv, loadConfig, port } from '@streaming/contracts'
import Type, { type Static } from 'typebox'

export const MonitorConfigSchema = Type.Object({
  ...commonEnv,
  MONITOR_HOST: Type.String({
    default: '127.0.0.1',
    description: 'interface for health and metrics'
  }),
  MONITOR_PORT: port(8002, 'health, metrics and the recent-transactions API'),
  MONITOR_GROUP_ID: Type.String({ minLength: 1, default: 'monitor' }),
  ELASTICSEARCH_URL: Type.String({ minLength: 1, default: 'http://127.0.0.1:9200' }),
  MONITOR_FALLBACK_FILE: Type.String({
    minLength: 1,
    default: 'monitor/data/fallback.ndjson',
    description: 'NDJSON file that holds events while Elasticsearch is unreachable'
  })
})

export type MonitorConfig = Static<typeof MonitorConfigSchema>

export const loadMonitorConfig = (env?: Record<string, string | undefined>): MonitorConfig =>
  loadConfig(MonitorConfigSchema, env)
