// A monitor of one test: its own consumer group, index prefix and fallback file, on the test's
// topics; plus ways to look at what it indexed.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { Client } from '@elastic/elasticsearch'
import type { TopicNames } from '@streaming/contracts'
import type { Kafka } from 'kafkajs'
import { pino } from 'pino'
import { loadMonitorConfig } from '../../monitor/src/config.ts'
import type { EventDocument } from '../../monitor/src/documents.ts'
import { indexNames } from '../../monitor/src/index-names.ts'
import { createMonitor, type Monitor } from '../../monitor/src/monitor.ts'
import { deletePrefix } from '../../monitor/src/templates.ts'
import { defer } from './cleanup.ts'
import { createElasticsearch, uniqueName } from './servers.ts'

export { replyEvent, requestEvent } from './events.ts'

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })

export interface MonitorSetup {
  es: Client
  prefix: string
  names: ReturnType<typeof indexNames>
  groupId: string
  file: string
  env: Record<string, string>
  /** Starts a monitor on the setup's group, prefix and file (again, after one was stopped). */
  start: (env?: Record<string, string>) => Promise<Monitor>
}

/** Settings that keep tests quick: short flushes and probes, a short session for restarts. */
export const quickMonitorEnv: Record<string, string> = {
  MONITOR_BULK_FLUSH_MS: '100',
  MONITOR_PROBE_BASE_MS: '250',
  MONITOR_PROBE_MAX_MS: '2000',
  MONITOR_ES_TIMEOUT_MS: '5000',
  MONITOR_SESSION_TIMEOUT_MS: '6000'
}

/**
 * Prepares a monitor for a test: a unique index prefix (its indices and templates deleted at the
 * end), group and fallback file. `start()` creates and starts a monitor closed at the end.
 */
export async function monitorSetup(
  t: TestContext,
  kafka: Kafka,
  topics: TopicNames,
  env: Record<string, string> = {}
): Promise<MonitorSetup> {
  const es = createElasticsearch(t)
  const prefix = `${uniqueName('mon')}_`
  defer(t, () => deletePrefix(es, prefix))
  const dir = await mkdtemp(join(tmpdir(), 'monitor-test-'))
  defer(t, () => rm(dir, { recursive: true, force: true }))
  const groupId = uniqueName('monitor')
  const file = join(dir, 'fallback.ndjson')
  const baseEnv = {
    ...quickMonitorEnv,
    ...env,
    MONITOR_GROUP_ID: groupId,
    MONITOR_FALLBACK_FILE: file
  }
  return {
    es,
    prefix,
    names: indexNames(prefix),
    groupId,
    file,
    env: baseEnv,
    async start(extraEnv = {}) {
      const monitor = createMonitor({
        config: loadMonitorConfig({ ...baseEnv, ...extraEnv }),
        log,
        kafka,
        elasticsearch: es,
        topics,
        indexPrefix: prefix
      })
      defer(t, () => monitor.close())
      await monitor.start()
      return monitor
    }
  }
}

export async function startMonitor(
  t: TestContext,
  kafka: Kafka,
  topics: TopicNames,
  env: Record<string, string> = {}
): Promise<MonitorSetup & { monitor: Monitor }> {
  const setup = await monitorSetup(t, kafka, topics, env)
  return { ...setup, monitor: await setup.start() }
}

export async function countDocuments(
  es: Client,
  index: string,
  query?: Record<string, unknown>
): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true })
  const { count } = await es.count({
    index,
    ignore_unavailable: true,
    allow_no_indices: true,
    ...(query ? { query } : {})
  })
  return count
}

export interface IndexedDocument {
  index: string
  id: string
  doc: EventDocument
}

/** Every document under an index or alias (tests index at most a few thousand). */
export async function allDocuments(es: Client, index: string): Promise<IndexedDocument[]> {
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true })
  const result = await es.search<EventDocument>({
    index,
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 10_000,
    sort: [{ topic: 'asc' }, { partition: 'asc' }, { offset: 'asc' }],
    track_total_hits: true
  })
  return result.hits.hits.map((hit) => ({
    index: hit._index,
    id: hit._id ?? '',
    doc: hit._source as EventDocument
  }))
}

/** Polls until `check` holds, at most `timeoutMs`; fails naming what was awaited and the last state. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T> | T,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
  intervalMs = 250
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    try {
      last = await probe()
      if (check(last)) return last
    } catch (err) {
      last = err as T
    }
    if (performance.now() >= deadline) break
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  assert.fail(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`)
}

export interface MonitorHealth {
  status: string
  mode: 'elasticsearch' | 'fallback'
  spooled: number
  checks: { kafka: string; elasticsearch: string }
}

export async function health(monitor: Monitor): Promise<{ code: number; body: MonitorHealth }> {
  const response = await monitor.health.inject({ method: 'GET', url: '/health' })
  return { code: response.statusCode, body: response.json<MonitorHealth>() }
}

/** Groups items by a key (Map.groupBy arrives with Node 21). */
export function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return groups
}
