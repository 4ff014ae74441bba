// `npm run bench`: measures the running platform (`npm run up`) and prints a table; the same
// figures go to bench/results/<time>.json. It reports, it does not pass or fail. See BENCHMARKS.md.
//
// Every load runs in a process of its own (bench/load.ts, autocannon), on loopback only, bounded
// in count and time; every wait below has a deadline.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client } from '@elastic/elasticsearch'
import { RedisKey, Topic } from '@streaming/contracts'
import { Redis } from 'ioredis'
import { Kafka, logLevel } from 'kafkajs'
import { cpuPerOperation, platformPids, sampleCpu } from './cpu.ts'

const env = (name: string, fallback: string) => process.env[name] || fallback
const num = (name: string, fallback: number) => Number(env(name, String(fallback)))

const settings = {
  gateway: env('BENCH_GATEWAY_URL', 'http://127.0.0.1:8000'),
  processor: env('BENCH_PROCESSOR_URL', 'http://127.0.0.1:8001'),
  monitor: env('BENCH_MONITOR_URL', 'http://127.0.0.1:8002'),
  redisUrl: env('REDIS_URL', 'redis://127.0.0.1:6379'),
  kafkaBrokers: env('KAFKA_BROKERS', '127.0.0.1:9092').split(','),
  elasticsearchUrl: env('ELASTICSEARCH_URL', 'http://127.0.0.1:9200'),
  processorGroup: env('PROCESSOR_GROUP_ID', 'processor'),
  acceptSeconds: num('BENCH_ACCEPT_SECONDS', 20),
  acceptConnections: num('BENCH_CONNECTIONS', 64),
  endToEndOperations: num('BENCH_E2E_OPERATIONS', 10_000),
  fixedRate: num('BENCH_FIXED_RATE', 1_000),
  fixedRateOperations: num('BENCH_FIXED_RATE_OPERATIONS', 10_000),
  indexingEvents: num('BENCH_INDEXING_EVENTS', 50_000),
  soakSeconds: num('BENCH_SOAK_SECONDS', 600),
  soakRate: num('BENCH_SOAK_RATE', 500),
  users: 200
}

const apiKey = process.env.API_KEYS?.split(',')[0]?.trim()
const apiKeyHeader: Record<string, string> = apiKey ? { 'x-api-key': apiKey } : {}

const root = new URL('..', import.meta.url).pathname
const resultsDir = join(root, 'bench', 'results')
const runId = new Date().toISOString().replaceAll(':', '-').replace(/\..+/, '')
const nodeArgs: string[] = []

const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 3_000 })
const kafka = new Kafka({
  clientId: 'bench',
  brokers: settings.kafkaBrokers,
  logLevel: logLevel.NOTHING
})
const admin = kafka.admin()
const elasticsearch = new Client({ node: settings.elasticsearchUrl, requestTimeout: 10_000 })
const pids = platformPids(root)

// ---------------------------------------------------------------------------------------------
// Helpers

const log = (line: string) => console.log(`[bench] ${line}`)

/** Runs a Node script of this folder and resolves with its stdout; rejects on a non-zero exit. */
function runNode(
  script: string,
  args: string[],
  extraEnv: Record<string, string>,
  timeoutMs: number
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      cwd: root,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`${script} exited with ${code ?? signal}: ${out.slice(-500)}`))
    })
  })
}

interface LoadResult {
  durationSeconds: number
  requests: number
  requestsPerSecond: number
  latencyMs: { p50: number; p99: number; max: number }
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  accepted: number
  /** CPU time of the load generator while it ran. */
  cpuMs: number
}

async function load(task: Record<string, unknown>, timeoutMs: number): Promise<LoadResult> {
  const out = await runNode('bench/load.ts', [], { BENCH_LOAD: JSON.stringify(task) }, timeoutMs)
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as LoadResult
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number)

async function rssMegabytes(): Promise<Record<string, number>> {
  const entries = await Promise.all(
    (['gateway', 'processor', 'monitor'] as const).map(async (service) => {
      const response = await fetch(`${settings[service]}/metrics`, {
        signal: AbortSignal.timeout(5_000)
      })
      const text = await response.text()
      const match = /^process_resident_memory_bytes (\d+)/m.exec(text)
      return [service, match ? Math.round(Number(match[1]) / 1e6) : NaN] as const
    })
  )
  return Object.fromEntries(entries)
}

/** Redis's `used_memory` and its number of keys. */
async function redisFootprint(): Promise<{ bytes: number; keys: number }> {
  const memory = await redis.info('memory')
  return {
    bytes: Number(/^used_memory:(\d+)/m.exec(memory)?.[1] ?? NaN),
    keys: await redis.dbsize()
  }
}

async function topicEnds(topics: string[]): Promise<number> {
  let total = 0
  for (const topic of topics) {
    for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high)
  }
  return total
}

const allTopics = [Topic.requests, Topic.responses, Topic.deadLetters]

async function searchableEvents(): Promise<number> {
  const { count } = await elasticsearch.count({
    index: 'api_all_logs',
    ignore_unavailable: true,
    allow_no_indices: true
  })
  return count
}

/** Messages of the requests topic the processor's group has not committed yet. */
async function processorLag(): Promise<number> {
  const [committed] = await admin.fetchOffsets({
    groupId: settings.processorGroup,
    topics: [Topic.requests]
  })
  const ends = await admin.fetchTopicOffsets(Topic.requests)
  let lag = 0
  for (const end of ends) {
    const offset = Number(
      committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1
    )
    lag += Math.max(0, Number(end.high) - Math.max(0, offset))
  }
  return lag
}

async function waitFor(
  what: string,
  deadlineMs: number,
  done: () => Promise<boolean>
): Promise<number> {
  const started = performance.now()
  while (!(await done())) {
    if (performance.now() - started > deadlineMs) {
      throw new Error(`${what}: not done within ${deadlineMs / 1000} s`)
    }
    await sleep(50)
  }
  return performance.now()
}

interface StatusRecord {
  status: string
  accepted_at?: string
  completed_at?: string
}

/**
 * Polls the status store until every operation is terminal; returns when that was first seen and
 * the records. Reads Redis directly so the measurement adds no HTTP load to the gateway.
 */
async function waitForTerminal(ids: string[], deadlineMs: number) {
  const records = new Map<string, StatusRecord>()
  let pending = ids
  const doneAt = await waitFor(`${ids.length} operations terminal`, deadlineMs, async () => {
    const still: string[] = []
    for (let i = 0; i < pending.length; i += 1_000) {
      const chunk = pending.slice(i, i + 1_000)
      const values = await redis.mget(chunk.map((id) => RedisKey.status(id)))
      values.forEach((value, index) => {
        const id = chunk[index] as string
        const record = value ? (JSON.parse(value) as StatusRecord) : undefined
        if (record && record.status !== 'pending') records.set(id, record)
        else still.push(id)
      })
    }
    pending = still
    return pending.length === 0
  }).catch((err: unknown) => {
    throw new Error(`${(err as Error).message} (${pending.length} still pending)`)
  })
  return { doneAt, records: [...records.values()] }
}

function latencySummary(records: StatusRecord[]) {
  const byStatus: Record<string, number> = {}
  const latencies: number[] = []
  for (const record of records) {
    byStatus[record.status] = (byStatus[record.status] ?? 0) + 1
    if (record.status === 'success' && record.accepted_at && record.completed_at) {
      latencies.push(Date.parse(record.completed_at) - Date.parse(record.accepted_at))
    }
  }
  latencies.sort((a, b) => a - b)
  return {
    byStatus,
    acceptToSuccessMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN
    }
  }
}

async function createUsers(count: number): Promise<number[]> {
  const ids: number[] = []
  const correlationIds: string[] = []
  for (let i = 0; i < count; i += 20) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, async () => {
        const response = await fetch(`${settings.gateway}/usuarios`, {
          method: 'POST',
          headers: apiKeyHeader,
          signal: AbortSignal.timeout(10_000)
        })
        if (response.status !== 202) throw new Error(`POST /usuarios answered ${response.status}`)
        return (await response.json()) as { correlation_id: string; usuario: { user_id: number } }
      })
    )
    for (const answer of answers) {
      ids.push(answer.usuario.user_id)
      correlationIds.push(answer.correlation_id)
    }
  }
  const { records } = await waitForTerminal(correlationIds, 120_000)
  const failed = records.filter((record) => record.status !== 'success').length
  if (failed > 0) throw new Error(`${failed} of the benchmark's users were not created`)
  return ids
}

/** A mixed run of `amount` operations; waits until all are terminal and every event searchable. */
async function endToEnd(
  name: string,
  users: number[],
  amount: number,
  connections: number,
  overallRate?: number
) {
  const acceptedFile = join(resultsDir, `.accepted-${runId}-${name}.txt`)
  const eventsBefore = await topicEnds(allTopics)
  const searchableBefore = await searchableEvents()
  const redisBefore = await redisFootprint()
  const cpuBefore = sampleCpu(pids)
  const startedAt = performance.now()
  const client = await load(
    {
      url: settings.gateway,
      mode: 'mixed',
      connections,
      amount,
      ...(overallRate ? { overallRate } : {}),
      userIds: users,
      acceptedFile
    },
    600_000
  )
  const loadEndedAt = performance.now()
  const lagAtLoadEnd = (await topicEnds(allTopics)) - eventsBefore
  const searchableAtLoadEnd = (await searchableEvents()) - searchableBefore
  const ids = readFileSync(acceptedFile, 'utf8').split('\n').filter(Boolean)
  rmSync(acceptedFile)
  const { doneAt, records } = await waitForTerminal(ids, 600_000)
  const events = (await topicEnds(allTopics)) - eventsBefore
  const searchableAt = await waitFor('every event searchable', 600_000, async () => {
    return (await searchableEvents()) - searchableBefore >= events
  })
  // Until every reply is recorded and every event searchable: the whole work of each operation.
  const cpuMsPerOperation = cpuPerOperation(cpuBefore, sampleCpu(pids), ids.length, client.cpuMs)
  const redisAfter = await redisFootprint()
  return {
    client,
    cpuMsPerOperation,
    // What the operations left in Redis (statuses, claims, the reply log, sessions, cache):
    // memory and keys added per operation, before any of them expires.
    redisPerOperation: {
      bytes: Math.round((redisAfter.bytes - redisBefore.bytes) / ids.length),
      keys: round((redisAfter.keys - redisBefore.keys) / ids.length, 2)
    },
    accepted: ids.length,
    operationsPerSecond: Math.round(ids.length / ((doneAt - startedAt) / 1000)),
    secondsUntilAllTerminal: round((doneAt - startedAt) / 1000),
    ...latencySummary(records),
    indexing: {
      events,
      eventsPerSecond: Math.round(events / ((searchableAt - startedAt) / 1000)),
      notSearchableAtLoadEnd: Math.max(0, lagAtLoadEnd - searchableAtLoadEnd),
      secondsAfterLoadUntilSearchable: round((searchableAt - loadEndedAt) / 1000)
    }
  }
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits))

// ---------------------------------------------------------------------------------------------
// The run

async function preflight(): Promise<void> {
  for (const service of ['gateway', 'processor', 'monitor'] as const) {
    const url = `${settings[service]}/health`
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => null)
    if (response?.status !== 200) {
      throw new Error(`${service} is not healthy at ${url}: start the platform with npm run up`)
    }
  }
  // A per-client limit would turn most of the load into 429s and measure the limiter instead.
  const probe = await fetch(`${settings.gateway}/status/00000000-0000-4000-8000-000000000000`, {
    headers: apiKeyHeader,
    signal: AbortSignal.timeout(5_000)
  })
  const limit = probe.headers.get('x-ratelimit-limit')
  if (limit !== null) {
    throw new Error(
      `the gateway limits each client to ${limit} requests per window; start it without the ` +
        'limit for a benchmark: RATE_LIMIT_MAX=0 npm run up'
    )
  }
  await admin.connect()
}

async function ceiling() {
  const child = spawn(process.execPath, [...nodeArgs, 'bench/hello-world.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  try {
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        resolve((JSON.parse(chunk.toString()) as { address: string }).address)
      })
      child.once('exit', (code) => reject(new Error(`hello-world exited with ${code}`)))
    })
    return await load(
      {
        url: address,
        mode: 'fixed',
        connections: settings.acceptConnections,
        durationSeconds: settings.acceptSeconds
      },
      (settings.acceptSeconds + 60) * 1000
    )
  } finally {
    child.kill('SIGTERM')
  }
}

async function soak(users: number[]) {
  const samples: Array<{ second: number } & Record<string, number>> = []
  const startedAt = performance.now()
  const running = load(
    {
      url: settings.gateway,
      mode: 'mixed',
      // A steady rate for a fixed time: a connection that falls behind its share sends less,
      // it does not prolong the soak.
      connections: 64,
      durationSeconds: settings.soakSeconds,
      overallRate: settings.soakRate,
      userIds: users
    },
    (settings.soakSeconds + 120) * 1000
  )
  const state = { finished: false }
  running.finally(() => (state.finished = true)).catch(() => {})
  const interval = Math.max(5, Math.min(30, settings.soakSeconds / 10))
  while (!state.finished) {
    // The processor's backlog beside the memory: a rate the platform holds keeps it bounded.
    const sample = {
      second: round((performance.now() - startedAt) / 1000, 0),
      ...(await rssMegabytes()),
      processorLag: await processorLag()
    }
    samples.push(sample)
    log(`  ${sample.second} s: RSS (MB) and processor lag ${JSON.stringify(sample)}`)
    await Promise.race([sleep(interval * 1000), running.catch(() => {})])
  }
  const client = await running
  samples.push({
    second: round((performance.now() - startedAt) / 1000, 0),
    ...(await rssMegabytes()),
    processorLag: await processorLag()
  })
  return { client, samples }
}

function printTable(rows: Array<[string, string, string]>): void {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: [string, string, string]) =>
    row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ')
  console.log('')
  for (const row of rows) console.log(line(row))
  console.log('')
}

async function main(): Promise<void> {
  await preflight()
  mkdirSync(resultsDir, { recursive: true })
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 0),
    node: process.version
  }
  log(
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`
  )
  // Each figure is kept as soon as it is measured, so a run cut short still leaves its figures.
  const partialFile = join(resultsDir, `${runId}.partial.json`)
  const measured: Record<string, unknown> = { runId, machine, settings }
  const keep = (figures: Record<string, unknown>) => {
    Object.assign(measured, figures)
    writeFileSync(partialFile, JSON.stringify(measured, null, 2))
  }

  const rssAtRest = await rssMegabytes()
  log(`RSS at rest (MB): ${JSON.stringify(rssAtRest)}`)

  log(
    `ceiling: bare Fastify hello-world, ${settings.acceptConnections} connections, ${settings.acceptSeconds} s`
  )
  const helloWorld = await ceiling()
  log(`  ${Math.round(helloWorld.requestsPerSecond)} requests/s`)
  keep({ rssAtRest, ceiling: helloWorld })

  log(
    `accept: POST /usuarios, ${settings.acceptConnections} connections, ${settings.acceptSeconds} s`
  )
  const acceptCpuBefore = sampleCpu(pids)
  const acceptStarted = performance.now()
  const acceptLoad = await load(
    {
      url: `${settings.gateway}/usuarios`,
      mode: 'fixed',
      method: 'POST',
      body: '{}',
      connections: settings.acceptConnections,
      durationSeconds: settings.acceptSeconds
    },
    (settings.acceptSeconds + 60) * 1000
  )
  const drainedAt = await waitFor(
    'processor caught up',
    600_000,
    async () => (await processorLag()) === 0
  )
  const acceptDrainSeconds = round((drainedAt - acceptStarted) / 1000)
  // Accepting and then processing them: the processor has caught up when this is read.
  const accept = {
    ...acceptLoad,
    cpuMsPerOperation: cpuPerOperation(
      acceptCpuBefore,
      sampleCpu(pids),
      acceptLoad.statusCodes['202'] ?? acceptLoad.requests,
      acceptLoad.cpuMs
    )
  }
  log(
    `  ${Math.round(accept.requestsPerSecond)} requests/s, p50 ${accept.latencyMs.p50} ms, ` +
      `p99 ${accept.latencyMs.p99} ms; processor caught up after ${acceptDrainSeconds} s`
  )
  keep({ accept })

  log(`setup: ${settings.users} users for the mixed operations`)
  const users = await createUsers(settings.users)

  log(`end to end: ${settings.endToEndOperations} mixed operations, 64 connections`)
  const endToEndRun = await endToEnd('e2e', users, settings.endToEndOperations, 64)
  log(
    `  ${endToEndRun.operationsPerSecond} operations/s, ${JSON.stringify(endToEndRun.acceptToSuccessMs)}`
  )
  keep({ endToEnd: endToEndRun })

  log(
    `end to end at a fixed ${settings.fixedRate} requests/s: ${settings.fixedRateOperations} operations`
  )
  const fixedRateRun: Awaited<ReturnType<typeof endToEnd>> = await endToEnd(
    'fixed',
    users,
    settings.fixedRateOperations,
    32,
    settings.fixedRate
  )

  log(`  ${JSON.stringify(fixedRateRun.acceptToSuccessMs)}`)
  keep({ fixedRate: fixedRateRun })

  log(`indexing capacity: ${settings.indexingEvents} events through a monitor of its own`)
  const indexingOut = await runNode(
    'monitor/bench/indexing.ts',
    [String(settings.indexingEvents)],
    { LOG_LEVEL: 'warn' },
    900_000
  )
  const capacity = Number(/monitor start → all searchable\): (\d+)/.exec(indexingOut)?.[1] ?? NaN)

  log(`  ${capacity} events/s`)
  keep({ indexingCapacity: capacity })
  const rssAfterLoad = await rssMegabytes()
  log(
    `soak: mixed operations at ${settings.soakRate}/s for ${settings.soakSeconds} s, sampling RSS`
  )
  const soakRun = await soak(users)
  const rssAfterSoak: Record<string, number> = soakRun.samples.at(-1) ?? {}

  const results = {
    complete: true,
    runId,
    machine,
    settings,
    ceiling: helloWorld,
    accept: {
      ...accept,
      ratioToCeiling: round(accept.requestsPerSecond / helloWorld.requestsPerSecond, 3),
      secondsUntilProcessorCaughtUp: acceptDrainSeconds
    },
    endToEnd: endToEndRun,
    fixedRate: fixedRateRun,
    indexingCapacity: { events: settings.indexingEvents, eventsPerSecond: capacity },
    memory: {
      atRest: rssAtRest,
      afterLoad: rssAfterLoad,
      afterSoak: rssAfterSoak,
      soakSamples: soakRun.samples,
      soakClient: soakRun.client
    }
  }
  const file = join(resultsDir, `${runId}.json`)
  writeFileSync(file, JSON.stringify(results, null, 2))
  rmSync(partialFile)

  const e = endToEndRun
  const f = fixedRateRun
  const ms = (value: number) => `${Math.round(value)} ms`
  printTable([
    ['measure', 'figure', 'target'],
    ['ceiling: hello-world req/s', String(Math.round(helloWorld.requestsPerSecond)), '—'],
    [
      'accept: POST /usuarios req/s',
      `${Math.round(accept.requestsPerSecond)} (${Math.round(results.accept.ratioToCeiling * 100)} % of ceiling)`,
      '≥ 20 % of ceiling'
    ],
    ['accept: latency p50 / p99', `${ms(accept.latencyMs.p50)} / ${ms(accept.latencyMs.p99)}`, '—'],
    [
      'accept: non-2xx / errors / timeouts',
      `${accept.non2xx} / ${accept.errors} / ${accept.timeouts}`,
      '0'
    ],
    [
      'end to end: ops/s until all terminal',
      `${e.operationsPerSecond} (${e.accepted} ops, ${JSON.stringify(e.byStatus)})`,
      '≥ 1,600'
    ],
    [
      'end to end: accept→success p50/p95/p99',
      `${ms(e.acceptToSuccessMs.p50)} / ${ms(e.acceptToSuccessMs.p95)} / ${ms(e.acceptToSuccessMs.p99)}`,
      '—'
    ],
    [
      `fixed ${settings.fixedRate}/s: accept→success p50/p95/p99`,
      `${ms(f.acceptToSuccessMs.p50)} / ${ms(f.acceptToSuccessMs.p95)} / ${ms(f.acceptToSuccessMs.p99)}`,
      'p99 < 250 ms'
    ],
    [
      `fixed ${settings.fixedRate}/s: achieved req/s, client p99`,
      `${Math.round(f.client.requestsPerSecond)}, ${ms(f.client.latencyMs.p99)}`,
      '—'
    ],
    [
      'indexing (running monitor, e2e run) events/s',
      `${e.indexing.eventsPerSecond} (${e.indexing.events} events, ${e.indexing.notSearchableAtLoadEnd} not searchable at load end)`,
      '≥ 20,000'
    ],
    ['indexing capacity (burst, own monitor) events/s', String(capacity), '≥ 20,000'],
    [
      'RSS at rest (MB) gw / proc / mon',
      `${rssAtRest.gateway} / ${rssAtRest.processor} / ${rssAtRest.monitor}`,
      'each < 150'
    ],
    [
      `RSS after ${settings.soakSeconds} s soak (MB)`,
      `${rssAfterSoak.gateway} / ${rssAfterSoak.processor} / ${rssAfterSoak.monitor}`,
      'each < 150, flat'
    ],
    [
      `processor lag during the ${settings.soakRate}/s soak: max / at end`,
      `${Math.max(...soakRun.samples.map((sample) => sample.processorLag ?? 0))} / ${soakRun.samples.at(-1)?.processorLag ?? 0}`,
      'bounded'
    ],
    [
      'Redis per e2e operation: bytes / keys',
      `${e.redisPerOperation.bytes} / ${e.redisPerOperation.keys}`,
      'measured'
    ],
    [
      'CPU ms per operation, all processes: accept / e2e / fixed',
      `${accept.cpuMsPerOperation.total} / ${e.cpuMsPerOperation.total} / ${f.cpuMsPerOperation.total}`,
      'e2e ≤ 1.2'
    ]
  ])
  const budgetRows: Array<[string, string, string]> = [
    ['CPU ms per operation', 'accept / e2e / fixed rate', '']
  ]
  for (const name of Object.keys(e.cpuMsPerOperation)) {
    budgetRows.push([
      name,
      [accept, e, f].map((run) => String(run.cpuMsPerOperation[name] ?? '—')).join(' / '),
      ''
    ])
  }
  printTable(budgetRows)
  log(`figures written to ${file}`)
}

try {
  await main()
} finally {
  redis.disconnect()
  await admin.disconnect().catch(() => {})
  await elasticsearch.close().catch(() => {})
}
