// The indexer against the real Elasticsearch node. Outages are simulated with a TCP proxy in
// front of it that can drop every connection, so these tests never stop the shared server.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { Client } from '@elastic/elasticsearch'
import { pino } from 'pino'
import { defer } from '../../test/helpers/cleanup.ts'
import { createElasticsearch, servers, uniqueName } from '../../test/helpers/servers.ts'
import type { IndexAction } from '../src/documents.ts'
import { indexNames } from '../src/index-names.ts'
import { createIndexer, type IndexerOptions } from '../src/indexer.ts'
import { createMonitorMetrics } from '../src/metrics.ts'
import { openSpool, type Spool } from '../src/spool.ts'
import { deletePrefix } from '../src/templates.ts'

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })

/** A TCP proxy to Elasticsearch whose connections can be cut (an outage) and restored. */
async function elasticsearchProxy(t: TestContext) {
  const target = new URL(servers.elasticsearchUrl)
  const sockets = new Set<Socket>()
  let up = true
  const server = createServer((client) => {
    if (!up) {
      client.destroy()
      return
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 9200) })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  defer(t, () => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      up = false
      for (const socket of sockets) socket.destroy()
    },
    restore() {
      up = true
    }
  }
}

async function setUp(
  t: TestContext,
  overrides: Partial<IndexerOptions> & { node?: string; file?: string } = {}
) {
  const es = createElasticsearch(t)
  const prefix = `${uniqueName('idx')}_`
  defer(t, () => deletePrefix(es, prefix))
  const dir = await mkdtemp(join(tmpdir(), 'monitor-indexer-'))
  defer(t, () => rm(dir, { recursive: true, force: true }))
  const file = overrides.file ?? join(dir, 'fallback.ndjson')
  const spool: Spool = await openSpool(file)
  defer(t, () => spool.close())
  const client = new Client({
    node: overrides.node ?? servers.elasticsearchUrl,
    requestTimeout: 3_000,
    maxRetries: 0
  })
  defer(t, () => client.close())
  const metrics = createMonitorMetrics()
  const indexer = createIndexer({
    client,
    spool,
    log,
    metrics,
    prefix,
    replicas: 0,
    maxDocs: 1_000,
    maxBytes: 5 * 1024 * 1024,
    flushMs: 50,
    concurrency: 2,
    retries: 2,
    requestTimeoutMs: 3_000,
    probeBaseMs: 100,
    probeMaxMs: 500,
    ...overrides
  })
  defer(t, () => indexer.close())
  return { es, prefix, names: indexNames(prefix), file, spool, metrics, indexer }
}

function actions(prefix: string, count: number, from = 0): IndexAction[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = from + i
    return {
      index: `${prefix}usuario`,
      id: `t-0-${offset}`,
      document: {
        timestamp: new Date(Date.UTC(2026, 10, 24) + offset).toISOString(),
        kafka_timestamp: new Date(Date.UTC(2026, 10, 24) + offset).toISOString(),
        topic: 't',
        partition: 0,
        offset,
        malformed: false,
        transaction_id: `tx-${offset}`,
        operation: 'criar_usuario'
      }
    }
  })
}

async function count(es: Client, index: string): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true })
  return (await es.count({ index, ignore_unavailable: true, allow_no_indices: true })).count
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.fail(`${what}: not within ${timeoutMs} ms`)
}

async function metricValue(
  metrics: ReturnType<typeof createMonitorMetrics>,
  name: string,
  labels: Record<string, string> = {}
): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get()
  return (metric?.values ?? [])
    .filter((value) =>
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected)
    )
    .reduce((sum, value) => sum + value.value, 0)
}

test('documents Elasticsearch refuses become malformed documents; the rest is indexed', async (t) => {
  const { es, prefix, names, indexer, metrics } = await setUp(t)
  await indexer.start()
  const good = actions(prefix, 3)
  const bad: IndexAction = {
    ...actions(prefix, 1, 3)[0]!,
    document: { ...actions(prefix, 1, 3)[0]!.document, timestamp: 'ontem à tarde' }
  }
  await indexer.add([...good, bad])

  assert.equal(await count(es, `${prefix}usuario`), 3)
  const malformed = await es.get<{ malformed: boolean; raw: string; error_code: string }>({
    index: names.malformed,
    id: bad.id
  })
  assert.equal(malformed._source?.malformed, true)
  assert.equal(malformed._source?.error_code, 'rejected')
  assert.equal(JSON.parse(malformed._source?.raw ?? '').timestamp, 'ontem à tarde', 'raw kept')
  assert.equal(await count(es, names.aliases.all), 4, 'one document per event, no more')
  assert.equal(await metricValue(metrics, 'monitor_malformed_documents_total'), 1)
  assert.equal(indexer.mode, 'elasticsearch')
})

test('bulk requests are bounded by count, and a lone document waits at most the flush time', async (t) => {
  const { es, prefix, indexer, metrics } = await setUp(t, { maxDocs: 10, flushMs: 300 })
  await indexer.start()
  await indexer.add(actions(prefix, 35))
  const requests = await metricValue(metrics, 'monitor_bulk_requests_total')
  assert.equal(requests, 4, '10 + 10 + 10 + 5')
  assert.equal(await count(es, `${prefix}usuario`), 35)

  const started = performance.now()
  await indexer.add(actions(prefix, 1, 35))
  const waited = performance.now() - started
  assert.ok(waited >= 250 && waited < 3_000, `flushed after ${Math.round(waited)} ms`)

  const flushed = performance.now()
  const early = indexer.add(actions(prefix, 1, 36))
  indexer.flush()
  await early
  assert.ok(performance.now() - flushed < 250, 'flush() does not wait for the timer')
})

test('while Elasticsearch is unreachable documents go to the file; then it is replayed and cleared', async (t) => {
  const proxy = await elasticsearchProxy(t)
  const { es, prefix, file, indexer, metrics } = await setUp(t, { node: proxy.url })
  await indexer.start()
  await indexer.add(actions(prefix, 5))
  assert.equal(indexer.mode, 'elasticsearch')

  proxy.cut()
  await indexer.add(actions(prefix, 10, 5))
  assert.equal(indexer.mode, 'fallback')
  assert.equal(indexer.spooled, 10)
  await indexer.add(actions(prefix, 5, 15))
  assert.equal(indexer.spooled, 15, 'fallback mode writes straight to the file')
  const lines = (await readFile(file, 'utf8')).trim().split('\n')
  assert.equal(lines.length, 15)
  assert.equal(await count(es, `${prefix}usuario`), 5)

  proxy.restore()
  await waitFor('replay', () => indexer.mode === 'elasticsearch')
  assert.equal(indexer.spooled, 0)
  assert.equal((await readFile(file, 'utf8')).length, 0, 'file cleared')
  assert.equal(await count(es, `${prefix}usuario`), 20)
  assert.equal(await metricValue(metrics, 'monitor_replayed_documents_total'), 15)

  // A redelivery of everything (same ids) changes nothing.
  await indexer.add(actions(prefix, 20))
  assert.equal(await count(es, `${prefix}usuario`), 20)
})

test('Elasticsearch down at start: fallback at once; a file left by an earlier run is replayed', async (t) => {
  const proxy = await elasticsearchProxy(t)
  proxy.cut()
  const { es, prefix, file, indexer, spool } = await setUp(t, { node: proxy.url })
  // What an earlier run left in the file (it stopped in fallback mode).
  await spool.append(actions(prefix, 4))
  await indexer.start()
  assert.equal(indexer.mode, 'fallback')
  await indexer.add(actions(prefix, 2, 4))
  assert.equal(indexer.spooled, 6)

  proxy.restore()
  await waitFor('replay', () => indexer.mode === 'elasticsearch')
  assert.equal(await count(es, `${prefix}usuario`), 6)
  assert.equal((await readFile(file, 'utf8')).length, 0)
  const template = await es.indices.getIndexTemplate({ name: `${prefix}requests` })
  assert.equal(template.index_templates.length, 1, 'templates created on recovery')
})

test('a restart with documents in the file replays them', async (t) => {
  const { es, prefix, file, indexer, spool } = await setUp(t)
  await spool.append(actions(prefix, 7))
  await indexer.start()
  await indexer.add(actions(prefix, 3, 7))
  await waitFor('replay', () => indexer.mode === 'elasticsearch' && indexer.spooled === 0)
  assert.equal(await count(es, `${prefix}usuario`), 10)
  assert.equal((await readFile(file, 'utf8')).length, 0)
})

test('items refused for a while (a write block) are retried, then kept in the file until accepted', async (t) => {
  const { es, prefix, indexer } = await setUp(t, { retries: 1 })
  await indexer.start()
  const index = `${prefix}usuario`
  await indexer.add(actions(prefix, 2))
  await es.indices.putSettings({ index, settings: { 'index.blocks.write': true } })
  defer(t, () =>
    es.indices.putSettings({ index, settings: { 'index.blocks.write': false } }, { ignore: [404] })
  )

  await indexer.add(actions(prefix, 3, 2))
  assert.equal(indexer.mode, 'fallback', 'refused after the retries: the file has them')
  assert.equal(indexer.spooled, 3)
  assert.equal(await count(es, index), 2)
  assert.match(indexer.lastError ?? '', /cluster_block_exception/)

  await es.indices.putSettings({ index, settings: { 'index.blocks.write': false } })
  await waitFor('replay', () => indexer.mode === 'elasticsearch')
  assert.equal(await count(es, index), 5)
  assert.equal(indexer.spooled, 0)
})
