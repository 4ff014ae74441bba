// What every fault drill checks once its fault is over, counted end to end: answers of the
// gateway, terminal statuses, rows and documents in the stores, messages on the topics.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { decodeReply, RedisKey } from '@streaming/contracts'
import type { OperationStatusRecord } from '../../gateway/src/plugins/status-store.ts'
import { loadProcessorConfig } from '../../processor/src/config.ts'
import { defer } from './cleanup.ts'
import { readTopic, topicSize } from './kafka.ts'
import {
  operationKinds,
  planChains,
  sendLoad,
  tallyLoad,
  type Load,
  type LoadTally,
  type OperationKind
} from './load.ts'
import { startPlatform, type Platform, type PlatformOptions } from './platform.ts'
import { spawnService, type ServiceProcess } from './service-process.ts'
import { servers } from './servers.ts'
import { assertStackRuns, startServer, stopServer } from './stack.ts'

export interface DrillPlatform extends Platform {
  /** The gateway's address: drills talk HTTP to it, with client-side timeouts. */
  baseUrl: string
  /** The environment of a processor process on this platform's topics, group and stores. */
  processorEnv: Record<string, string>
}

/** A platform of the drill's own with a listening gateway and no processor yet. */
export async function startDrillPlatform(
  t: TestContext,
  options: Omit<PlatformOptions, 'processors'> = {}
): Promise<DrillPlatform> {
  const platform = await startPlatform(t, {
    ...options,
    // The whole load comes from one address; the per-client limit is not what a drill tests.
    gatewayEnv: { RATE_LIMIT_MAX: '0', ...options.gatewayEnv },
    processors: 0
  })
  const baseUrl = await platform.app.listen({ host: '127.0.0.1', port: 0 })
  const mongoUrl = new URL(servers.mongoUrl)
  mongoUrl.pathname = `/${platform.mongodb.databaseName}`
  const postgresUrl = platform.postgres.options.connectionString
  assert.ok(postgresUrl, 'the drill database has a connection string')
  return {
    ...platform,
    baseUrl,
    processorEnv: {
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      POSTGRES_URL: postgresUrl,
      MONGO_URL: mongoUrl.toString(),
      REDIS_URL: servers.redisUrl,
      PROCESSOR_GROUP_ID: platform.processorGroup,
      TEST_TOPICS: JSON.stringify(platform.topics),
      TEST_REDIS_KEY_PREFIX: platform.redisKeyPrefix,
      ...options.processorEnv
    }
  }
}

export interface ProcessorProcess extends ServiceProcess {
  /** The sum of a counter on the processor's /metrics (every label), e.g. its retries. */
  counter: (name: string) => Promise<number>
}

/** A processor of the platform in a process of its own; resolves once it consumes. */
export async function spawnProcessor(
  t: TestContext,
  platform: DrillPlatform,
  env: Record<string, string> = {}
): Promise<ProcessorProcess> {
  const service = await spawnService(t, {
    entry: 'processor-process.ts',
    env: { PROCESSOR_PORT: '0', ...platform.processorEnv, ...env },
    ready: '"processor under test ready"'
  })
  const { address } = JSON.parse(service.readyLine) as { address: string }
  return {
    ...service,
    async counter(name) {
      const response = await fetch(`${address}/metrics`, { signal: AbortSignal.timeout(5_000) })
      const text = await response.text()
      let sum = 0
      for (const [, value] of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
        sum += Number(value)
      }
      return sum
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `check` holds or `timeoutMs` passes; resolves with the last value and whether it held. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 250
): Promise<{ value: T; held: boolean }> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (check(value)) return { value, held: true }
    if (performance.now() >= deadline) return { value, held: false }
    await sleep(intervalMs)
  }
}

/** Waits until `topic` holds at least `count` messages; fails with `what` and what it holds. */
export async function awaitTopicSize(
  platform: Platform,
  topic: string,
  count: number,
  what: string,
  timeoutMs = 90_000
): Promise<number> {
  const { value, held } = await pollUntil(
    () => topicSize(platform.kafka, topic),
    (size) => size >= count,
    timeoutMs
  )
  assert.ok(held, `${what}: ${value} of ${count} messages on ${topic} after ${timeoutMs} ms`)
  return value
}

/** Requests published but not answered yet: the work in hand or waiting. */
export async function backlog(platform: Platform): Promise<number> {
  const { kafka, topics } = platform
  return (await topicSize(kafka, topics.requests)) - (await topicSize(kafka, topics.responses))
}

/** The status of each correlation id as the gateway keeps it in Redis (`undefined`: none). */
export async function readStatuses(
  platform: Platform,
  ids: string[]
): Promise<Map<string, OperationStatusRecord | undefined>> {
  const statuses = new Map<string, OperationStatusRecord | undefined>()
  for (let i = 0; i < ids.length; i += 1_000) {
    const chunk = ids.slice(i, i + 1_000)
    const values = await platform.redis.mget(...chunk.map((id) => RedisKey.status(id)))
    chunk.forEach((id, j) => {
      const value = values[j]
      statuses.set(id, value ? (JSON.parse(value) as OperationStatusRecord) : undefined)
    })
  }
  return statuses
}

const countBy = <T>(items: Iterable<T>, keyOf: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const item of items) {
    const key = keyOf(item)
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

/** The user ids found in each store, one entry per row, document or key (repeats kept). */
export async function storeEffects(platform: Platform): Promise<Record<OperationKind, number[]>> {
  const { postgres, mongodb, redis, redisKeyPrefix } = platform
  const column = async (table: string) =>
    (await postgres.query<{ user_id: string }>(`SELECT user_id FROM ${table}`)).rows.map((row) =>
      Number(row.user_id)
    )
  const scan = async (pattern: string) => {
    const keys: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000)
      cursor = next
      keys.push(...batch)
    } while (cursor !== '0')
    return keys
  }
  const sessionKeys = await scan(`${redisKeyPrefix}sessao:*`)
  const sessionUsers: number[] = []
  for (let i = 0; i < sessionKeys.length; i += 500) {
    const pipeline = redis.pipeline()
    for (const key of sessionKeys.slice(i, i + 500)) pipeline.hget(key, 'user_id')
    for (const [err, value] of (await pipeline.exec()) ?? []) {
      if (err) throw err
      sessionUsers.push(Number(value))
    }
  }
  const contentPrefix = `${redisKeyPrefix}conteudo:drill-`
  return {
    usuario: await column('usuarios'),
    pagamento: await column('pagamentos'),
    assinatura: await column('assinaturas'),
    visualizacao: (
      await mongodb
        .collection<{ user_id: number }>('historico_visualizacao')
        .find({}, { projection: { user_id: 1 } })
        .toArray()
    ).map((doc) => doc.user_id),
    sessao: sessionUsers,
    cache: (await scan(`${contentPrefix}*`)).map((key) => Number(key.slice(contentPrefix.length)))
  }
}

export interface KindCount {
  accepted: number
  /** Rows, documents or keys in the store. */
  stored: number
  /** Accepted operations without their effect. */
  missing: number
  /** Effects found more than once. */
  duplicated: number
  /** Effects of operations never accepted (a request the gateway refused that reached Kafka). */
  unaccepted: number
}

export interface DrillReport {
  load: LoadTally
  statuses: Record<string, number>
  stores: Record<OperationKind, KindCount>
  topics: { requests: number; replies: number; repliedOperations: number; deadLetters: number }
}

export interface CheckOptions {
  /** Bound on every accepted operation reaching a terminal status, from now. */
  settleTimeoutMs: number
  /**
   * Allow effects of refused requests: a 503 is the answer after the acknowledgement deadline,
   * and a request already handed to the broker may still be written (the Kafka drill).
   */
  refusedMayLand?: boolean
}

/**
 * Counts everything a drill promises once the fault is over and asserts it: every accepted
 * operation terminal and successful, each effect in its store exactly once, one request event
 * per accepted operation and a reply for each. Prints the counts as diagnostics.
 */
export async function checkDrill(
  t: TestContext,
  platform: DrillPlatform,
  load: Load,
  options: CheckOptions
): Promise<DrillReport> {
  const tally = tallyLoad(load)
  t.diagnostic(`load: ${JSON.stringify(tally)}`)
  const accepted = load.answers.filter((answer) => answer.code === 202)
  const ids = accepted.map((answer) => answer.correlationId!)
  assert.equal(new Set(ids).size, ids.length, 'one correlation id per accepted operation')

  const started = performance.now()
  const terminal = (records: Map<string, OperationStatusRecord | undefined>) =>
    [...records.values()].every((record) => record !== undefined && record.status !== 'pending')
  let pendingIds = ids
  const statuses = new Map<string, OperationStatusRecord | undefined>()
  const settled = await pollUntil(
    async () => {
      const read = await readStatuses(platform, pendingIds)
      for (const [id, record] of read) statuses.set(id, record)
      pendingIds = [...read]
        .filter(([, r]) => r === undefined || r.status === 'pending')
        .map(([id]) => id)
      return read
    },
    terminal,
    options.settleTimeoutMs,
    500
  )
  const statusCounts = countBy(statuses.values(), (record) => record?.status ?? 'none')
  t.diagnostic(
    `terminal statuses after ${Math.round(performance.now() - started)} ms: ${JSON.stringify(statusCounts)}`
  )
  assert.ok(
    settled.held,
    `${pendingIds.length} of ${ids.length} accepted operations not terminal within ` +
      `${options.settleTimeoutMs} ms: ${JSON.stringify({ load: tally, statuses: statusCounts })}`
  )
  const failed = [...statuses.values()].filter((record) => record?.status !== 'success')
  for (const record of failed.slice(0, 5)) {
    t.diagnostic(`not a success: ${JSON.stringify(record)}`)
  }
  assert.deepEqual(
    failed.slice(0, 5).map((record) => `${record?.original_event_type}: ${record?.message}`),
    [],
    `${failed.length} accepted operations did not succeed: ${JSON.stringify(statusCounts)}`
  )

  const effects = await storeEffects(platform)
  const stores = {} as Record<OperationKind, KindCount>
  const problems: string[] = []
  for (const kind of operationKinds) {
    const expected = new Set(accepted.filter((a) => a.kind === kind).map((a) => a.userId))
    const refused = new Set(
      load.answers.filter((a) => a.kind === kind && a.code !== 202).map((a) => a.userId)
    )
    // A request the client gave up on has no known outcome: the gateway may have published it
    // after the client's timeout. Its effect may land (once; duplicates are counted below).
    const unanswered = new Set(
      load.answers.filter((a) => a.kind === kind && typeof a.code !== 'number').map((a) => a.userId)
    )
    const found = effects[kind]
    const distinct = new Set(found)
    const extra = [...distinct].filter((userId) => !expected.has(userId))
    const count: KindCount = {
      accepted: expected.size,
      stored: found.length,
      missing: [...expected].filter((userId) => !distinct.has(userId)).length,
      duplicated: found.length - distinct.size,
      unaccepted: extra.length
    }
    stores[kind] = count
    if (count.missing > 0) problems.push(`${kind}: ${count.missing} accepted operations lost`)
    if (count.duplicated > 0) problems.push(`${kind}: ${count.duplicated} effects twice`)
    const stray = extra.filter(
      (userId) => !unanswered.has(userId) && !(options.refusedMayLand && refused.has(userId))
    )
    if (stray.length > 0) problems.push(`${kind}: ${stray.length} effects of no accepted request`)
  }
  t.diagnostic(`stores: ${JSON.stringify(stores)}`)

  const { kafka, topics } = platform
  const requests = await topicSize(kafka, topics.requests)
  const replyCount = await topicSize(kafka, topics.responses)
  const replies = await readTopic(kafka, topics.responses, { count: replyCount, timeoutMs: 30_000 })
  const replied = new Set(
    replies.map((message) => {
      const decoded = decodeReply(message.value)
      assert.ok(decoded.ok, 'every reply is readable')
      return decoded.value.correlation_id
    })
  )
  const report: DrillReport = {
    load: tally,
    statuses: statusCounts,
    stores,
    topics: {
      requests,
      replies: replyCount,
      repliedOperations: replied.size,
      deadLetters: await topicSize(kafka, topics.deadLetters)
    }
  }
  t.diagnostic(
    `topics: ${JSON.stringify(report.topics)} (${replyCount - replied.size} replies sent again for redelivered requests)`
  )
  assert.deepEqual(problems, [], 'each accepted operation has its effect exactly once')
  assert.equal(
    ids.filter((id) => !replied.has(id)).length,
    0,
    'every accepted operation has a reply on the topic'
  )
  // Besides the accepted: at most the requests without an answer, and the refused where they
  // may land.
  const unknownOutcome = load.answers.filter((a) => typeof a.code !== 'number').length
  const mayLand = unknownOutcome + (options.refusedMayLand ? tally.refused : 0)
  assert.ok(
    requests >= tally.accepted && requests <= tally.accepted + mayLand,
    `request events ${requests}: one per accepted operation (${tally.accepted}), and at most ` +
      `${mayLand} besides (requests without an answer${options.refusedMayLand ? ', refused ones' : ''})`
  )
  assert.equal(report.topics.deadLetters, 0, 'nothing dead-lettered')
  return report
}

export interface StoreRestartOptions {
  server: 'postgres' | 'redis'
  users: number
  /** How long the server stays down between its stop and its start. */
  downMs: number
}

/**
 * A store stopped and started through the native stack while a load runs and the processor is
 * busy: its transient failures must be retried until the store is back, and every accepted
 * operation must finish (success), each effect once.
 */
export async function storeRestartDrill(
  t: TestContext,
  { server, users, downMs }: StoreRestartOptions
): Promise<DrillReport> {
  await assertStackRuns(server)
  const platform = await startDrillPlatform(t)
  // Registered after the platform, so it runs before it: the platform's clean-up needs the store.
  defer(t, () => startServer(server))
  // The processor's default retry policy: it must ride over a restart as shipped.
  const { PROCESSOR_RETRY_ATTEMPTS, PROCESSOR_RETRY_BASE_MS, PROCESSOR_RETRY_MAX_MS } =
    loadProcessorConfig({})
  t.diagnostic(
    `processor retry policy: ${PROCESSOR_RETRY_ATTEMPTS} attempts, ${PROCESSOR_RETRY_BASE_MS} ms doubling to ${PROCESSOR_RETRY_MAX_MS} ms`
  )

  const load = sendLoad({
    baseUrl: platform.baseUrl,
    chains: planChains(users),
    concurrency: 16,
    deadlineMs: 150_000
  })
  // The processor starts behind the load, so it has a backlog to work through when the store
  // goes away, whatever the relative speed of gateway and processor on the machine.
  const { topics } = platform
  await awaitTopicSize(platform, topics.requests, users * 3, 'load before the processor')
  const processor = await spawnProcessor(t, platform)
  const replied = await awaitTopicSize(
    platform,
    topics.responses,
    users,
    'replies before the restart'
  )
  const retriesBefore = await processor.counter('processor_retries_total')
  const stopMs = await stopServer(server)
  await sleep(downMs)
  const startMs = await startServer(server)
  // Requests already published but not answered when the store came back were in hand or
  // waiting all through the outage: the drill exercised it only if there were some.
  const unanswered = await backlog(platform)
  t.diagnostic(
    `${server} stopped in ${stopMs} ms with ${replied} replies out, kept down ${downMs} ms, ` +
      `ready again in ${startMs} ms (unavailable about ${stopMs + downMs + startMs} ms); ` +
      `${unanswered} requests unanswered when it was back`
  )
  assert.ok(unanswered > 0, 'the processor had requests in hand through the outage')
  await load.finished
  const report = await checkDrill(t, platform, load, { settleTimeoutMs: 180_000 })
  const retries = (await processor.counter('processor_retries_total')) - retriesBefore
  t.diagnostic(`processor_retries_total grew by ${retries} over the restart`)
  return report
}
