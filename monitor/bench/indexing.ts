// Indexing throughput of the monitor against the real servers.
//
//   bash stack/node.sh monitor/bench/indexing.ts [events]
//
// Produces `events` (default 20,000; at least 10,000) request and reply events straight onto
// topics of its own, then starts a monitor on them (own group, index prefix and fallback file) and
// counts searchable documents until all are there. Prints indexed events per second, measured
// from the monitor's start and from its first indexed document. Cleans up topics, indices,
// templates and the file. Bulk settings come from the environment (MONITOR_BULK_*), as in the
// service.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@elastic/elasticsearch'
import { Kafka, logLevel } from 'kafkajs'
import { pino } from 'pino'
import { loadMonitorConfig } from '../src/config.ts'
import { indexNames } from '../src/index-names.ts'
import { createMonitor } from '../src/monitor.ts'
import { deletePrefix } from '../src/templates.ts'

const events = Math.max(10_000, Number(process.argv[2] ?? process.env.BENCH_EVENTS ?? 20_000))
const id = randomUUID().replaceAll('-', '').slice(0, 10)
const dir = await mkdtemp(join(tmpdir(), 'monitor-bench-'))
const config = loadMonitorConfig({
  ...process.env,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  MONITOR_GROUP_ID: `bench_${id}`,
  MONITOR_FALLBACK_FILE: join(dir, 'fallback.ndjson')
})
const log = pino({ level: config.LOG_LEVEL })
const kafka = new Kafka({
  clientId: `bench_${id}`,
  brokers: config.KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING
})
const es = new Client({ node: config.ELASTICSEARCH_URL, requestTimeout: 30_000 })
const prefix = `bench_${id}_`
const names = indexNames(prefix)
const topics = {
  requests: `bench_${id}.user_events`,
  responses: `bench_${id}.response_events`,
  deadLetters: `bench_${id}.user_events.dlq`
}
const operations = ['registrar_visualizacao', 'criar_sessao', 'obter_cache_conteudo'] as const

function pair(i: number) {
  const at = Date.now() - 60_000 + i
  const request = {
    event_id: randomUUID(),
    event_type: operations[i % operations.length],
    correlation_id: randomUUID(),
    timestamp: new Date(at).toISOString(),
    source: 'gateway',
    target: 'processor',
    version: 1,
    data: requestData(i)
  }
  const reply = {
    event_id: randomUUID(),
    event_type: 'response',
    correlation_id: request.correlation_id,
    timestamp: new Date(at + 5 + (i % 40)).toISOString(),
    source: 'processor',
    target: 'gateway',
    version: 1,
    original_event_type: request.event_type,
    request_event_id: request.event_id,
    request_timestamp: request.timestamp,
    status: 'success',
    message: 'Operação concluída',
    duration_ms: 2.5,
    data: { ok: true, i }
  }
  return { request, reply }
}

function requestData(i: number): Record<string, unknown> {
  const userId = 100_000 + (i % 500)
  switch (operations[i % operations.length]) {
    case 'registrar_visualizacao':
      return {
        user_id: userId,
        conteudo_id: `c-${i}`,
        titulo: 'O Auto da Compadecida',
        tipo: 'filme',
        tempo_assistido: 95,
        posicao: 80
      }
    case 'criar_sessao':
      return {
        user_id: userId,
        session_id: randomUUID(),
        dispositivo: 'Smart TV',
        localizacao: 'Recife'
      }
    default:
      return { conteudo_id: `c-${i}` }
  }
}

const admin = kafka.admin()
const producer = kafka.producer({ allowAutoTopicCreation: false })
let monitor: ReturnType<typeof createMonitor> | undefined
try {
  await admin.connect()
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.requests, numPartitions: 3 },
      { topic: topics.responses, numPartitions: 3 },
      { topic: topics.deadLetters, numPartitions: 1 }
    ]
  })
  await producer.connect()
  const producedAt = performance.now()
  for (let i = 0; i < events / 2; i += 1_000) {
    const pairs = Array.from({ length: Math.min(1_000, events / 2 - i) }, (_, j) => pair(i + j))
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic: topics.requests,
          messages: pairs.map(({ request }) => ({
            key: String((request.data as { user_id?: number }).user_id ?? request.correlation_id),
            value: JSON.stringify(request)
          }))
        },
        {
          topic: topics.responses,
          messages: pairs.map(({ reply }) => ({
            key: reply.correlation_id,
            value: JSON.stringify(reply)
          }))
        }
      ]
    })
  }
  const total = 2 * Math.ceil(events / 2)
  console.log(
    `produced ${total} events in ${Math.round(performance.now() - producedAt)} ms; ` +
      `bulk: ${config.MONITOR_BULK_MAX_DOCS} docs / ${config.MONITOR_BULK_MAX_BYTES} bytes / ${config.MONITOR_BULK_FLUSH_MS} ms`
  )

  monitor = createMonitor({ config, log, kafka, elasticsearch: es, topics, indexPrefix: prefix })
  const startedAt = performance.now()
  await monitor.start()
  let firstAt: number | undefined
  let count = 0
  let lastPrint = 0
  while (count < total) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    await es.indices.refresh({ index: names.pattern, allow_no_indices: true })
    const counted = await es.count({
      index: names.aliases.all,
      ignore_unavailable: true,
      allow_no_indices: true
    })
    count = counted.count
    const now = performance.now()
    if (count > 0) firstAt ??= now
    if (now - lastPrint >= 1_000) {
      lastPrint = now
      console.log(`  ${((now - startedAt) / 1000).toFixed(1)} s: ${count} searchable`)
    }
    if (now - startedAt > 600_000) throw new Error(`only ${count} of ${total} after 10 minutes`)
  }
  const doneAt = performance.now()
  const seconds = (doneAt - startedAt) / 1000
  console.log(`all ${total} events searchable ${seconds.toFixed(2)} s after the monitor started`)
  console.log(
    `indexed events/second (monitor start → all searchable): ${Math.round(total / seconds)}`
  )
  if (firstAt !== undefined && doneAt > firstAt) {
    console.log(
      `indexed events/second (first document → all searchable): ${Math.round(total / ((doneAt - firstAt) / 1000))}`
    )
  }
  const metrics = await monitor.metrics.registry
    .getSingleMetric('monitor_bulk_requests_total')
    ?.get()
  const bulks = (metrics?.values ?? []).reduce((sum, value) => sum + value.value, 0)
  console.log(`bulk requests: ${bulks} (mean ${Math.round(total / Math.max(1, bulks))} documents)`)
} finally {
  await monitor?.close().catch(() => {})
  await producer.disconnect().catch(() => {})
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {})
  await admin.disconnect().catch(() => {})
  await deletePrefix(es, prefix).catch(() => {})
  await es.close()
  await rm(dir, { recursive: true, force: true })
}
