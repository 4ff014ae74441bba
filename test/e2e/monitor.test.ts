import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { accept, settle, succeed, type Accepted } from '../helpers/http.ts'
import { produceRaw, requestEnvelopeJson, topicSize } from '../helpers/kafka.ts'
import {
  allDocuments,
  countDocuments,
  groupBy,
  health,
  requestEvent,
  startMonitor,
  waitFor,
  type IndexedDocument
} from '../helpers/monitor.ts'
import { createTopics, startPlatform } from '../helpers/platform.ts'
import { createKafka } from '../helpers/servers.ts'

/** Every operation once, plus one that fails: [accepted, request event_type]. */
async function runOperations(app: Parameters<typeof succeed>[0]) {
  const done: Array<{ accepted: Accepted; eventType: string; status: string }> = []
  const run = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, eventType: string) => {
    const { accepted, result } = await succeed(app, method, url)
    done.push({ accepted, eventType, status: result.status })
    return accepted
  }
  const created = await run('POST', '/usuarios', 'criar_usuario')
  const userId = (created.usuario as { user_id: number }).user_id
  await run('POST', `/usuarios/${userId}/assinatura`, 'atualizar_assinatura')
  await run('POST', `/usuarios/${userId}/pagamento`, 'pagamento_realizado')
  await run('POST', `/usuarios/${userId}/config`, 'atualizar_config')
  await run('POST', `/historico-visualizacao?user_id=${userId}`, 'registrar_visualizacao')
  await run('GET', `/historico-visualizacao/${userId}`, 'obter_historico_visualizacao')
  await run('POST', `/recomendacoes/gerar?user_id=${userId}`, 'gerar_recomendacoes')
  await run('GET', `/recomendacoes/${userId}`, 'obter_recomendacoes')
  const session = await run('POST', `/sessoes?user_id=${userId}`, 'criar_sessao')
  const sessionId = session.session_id as string
  await run('PUT', `/sessoes/${sessionId}/atividade`, 'atualizar_atividade_sessao')
  await run('GET', `/sessoes/usuario/${userId}`, 'listar_sessoes_usuario')
  await run('DELETE', `/sessoes/${sessionId}`, 'encerrar_sessao')
  const contentId = `c-${randomUUID().slice(0, 8)}`
  await run('POST', `/cache/conteudo/${contentId}`, 'cache_conteudo')
  await run('GET', `/cache/conteudo/${contentId}`, 'obter_cache_conteudo')
  // One that fails: its reply is indexed all the same, with status error.
  const missing = await accept(app, 'POST', `/usuarios/${userId + 1_000_000}/pagamento`)
  const failed = await settle(app, missing)
  assert.equal(failed.status, 'error')
  done.push({ accepted: missing, eventType: 'pagamento_realizado', status: 'error' })
  return done
}

test('every event of N operations becomes exactly one document, in the right index', async (t) => {
  const { app, kafka, topics } = await startPlatform(t)
  const { es, names, prefix, monitor, groupId } = await startMonitor(t, kafka, topics)

  const operations = await runOperations(app)
  const n = operations.length
  assert.equal(n, 15)

  await waitFor(
    'every event indexed',
    () => countDocuments(es, names.aliases.all),
    (count) => count >= 2 * n
  )
  // Let a late duplicate (there must be none) show up before counting.
  await new Promise((resolve) => setTimeout(resolve, 500))
  const docs = await allDocuments(es, names.aliases.all)
  assert.equal(docs.length, 2 * n, 'one request and one reply document per operation')
  assert.equal(await topicSize(kafka, topics.requests), n)
  assert.equal(await topicSize(kafka, topics.responses), n)

  // Per topic, and per Kafka record: ids are (topic, partition, offset), each exactly once.
  const byTopic = groupBy(docs, ({ doc }) => doc.topic)
  assert.equal(byTopic.get(topics.requests)?.length, n)
  assert.equal(byTopic.get(topics.responses)?.length, n)
  assert.equal(byTopic.get(topics.deadLetters), undefined)
  for (const { id, doc } of docs) assert.equal(id, `${doc.topic}-${doc.partition}-${doc.offset}`)
  assert.equal(new Set(docs.map((d) => d.id)).size, docs.length)

  // Count by transaction_id: one request and one reply document per operation.
  const byTransaction = groupBy(docs, ({ doc }) => doc.transaction_id ?? 'none')
  assert.equal(byTransaction.size, n)
  for (const { accepted, eventType, status } of operations) {
    const pair = byTransaction.get(accepted.correlation_id) ?? []
    const request = pair.find((d) => d.doc.topic === topics.requests)
    const reply = pair.find((d) => d.doc.topic === topics.responses)
    assert.equal(pair.length, 2, `${eventType}: ${pair.length} documents`)
    assert.ok(request && reply, eventType)
    assert.equal(request.doc.event_type, eventType)
    assert.equal(request.doc.operation, eventType)
    assert.equal(request.doc.malformed, false)
    assert.equal(reply.doc.event_type, 'response')
    assert.equal(reply.doc.original_event_type, eventType)
    assert.equal(reply.doc.operation, eventType, 'the reply carries the operation')
    assert.equal(reply.doc.status, status)
    assert.equal(reply.index, `${prefix}${eventType}_responses`)
    assert.equal(typeof reply.doc.latency_ms, 'number', `${eventType}: latency_ms`)
    assert.ok(reply.doc.latency_ms! >= 0)
    assert.equal(
      reply.doc.latency_ms,
      Date.parse(reply.doc.timestamp) - Date.parse(request.doc.timestamp),
      'reply time − request time'
    )
    assert.ok(reply.doc.message, 'the reply message')
  }

  // Requests by entity.
  const requestIndices = Object.fromEntries(
    [...groupBy(byTopic.get(topics.requests) ?? [], (d: IndexedDocument) => d.index)].map(
      ([index, list]) => [index.slice(prefix.length), list.length]
    )
  )
  assert.deepEqual(requestIndices, {
    usuario: 5,
    historico: 2,
    recomendacao: 2,
    sessao: 4,
    conteudo: 2
  })

  // Aliases and template.
  assert.equal(await countDocuments(es, names.aliases.requests), n)
  assert.equal(await countDocuments(es, names.aliases.responses), n)
  const aliases = await es.indices.getAlias({ index: `${prefix}*` })
  for (const [index, { aliases: of }] of Object.entries(aliases)) {
    const expected = [names.aliases.all]
    if (index.endsWith('_responses')) expected.push(names.aliases.responses)
    else expected.push(names.aliases.requests)
    assert.deepEqual(Object.keys(of).sort(), expected.sort(), index)
  }
  const templates = await es.indices.getIndexTemplate({ name: `${prefix}*` })
  assert.deepEqual(templates.index_templates.map((tpl) => tpl.name).sort(), [
    `${prefix}all`,
    `${prefix}requests`,
    `${prefix}responses`
  ])
  const mapping = await es.indices.getMapping({ index: `${prefix}usuario` })
  const properties = mapping[`${prefix}usuario`]?.mappings.properties ?? {}
  assert.equal(properties.timestamp?.type, 'date')
  assert.equal(properties.transaction_id?.type, 'keyword')
  assert.equal(properties.status?.type, 'keyword')
  assert.equal(properties.message?.type, 'text')
  assert.equal(properties.latency_ms?.type, 'double')
  assert.equal((properties.payload as { enabled?: boolean }).enabled, false)
  const sample = docs.find((d) => d.doc.topic === topics.requests)!
  assert.equal(
    (sample.doc.payload as { correlation_id: string }).correlation_id,
    sample.doc.transaction_id,
    'the whole event is kept'
  )

  // Health, metrics, the dashboard's read API.
  const status = await health(monitor)
  assert.equal(status.code, 200)
  assert.equal(status.body.mode, 'elasticsearch')
  assert.equal(status.body.spooled, 0)
  assert.equal(status.body.checks.kafka, 'ok')
  assert.equal(status.body.checks.elasticsearch, 'ok')

  const metrics = (await monitor.health.inject({ method: 'GET', url: '/metrics' })).body
  assert.match(
    metrics,
    new RegExp(
      `monitor_indexed_documents_total\\{index="${prefix}usuario",topic="${topics.requests}"\\} 5`
    )
  )
  assert.match(metrics, /monitor_mode\{mode="elasticsearch"\} 1/)
  assert.match(metrics, /monitor_spooled_documents 0/)
  await waitFor(
    'lag 0 on every partition',
    async () => (await monitor.health.inject({ method: 'GET', url: '/metrics' })).body,
    (text) => {
      const lags = [...text.matchAll(/^monitor_consumer_lag\{[^}]*\} (\d+)$/gm)]
      return lags.length === 7 && lags.every((match) => match[1] === '0')
    },
    10_000
  )
  assert.ok(groupId)

  const recent = await monitor.health.inject({ method: 'GET', url: '/transactions/recent?limit=5' })
  assert.equal(recent.statusCode, 200)
  const transactions = recent.json<Array<Record<string, unknown>>>()
  assert.equal(transactions.length, 5)
  const newestFirst = docs
    .filter((d) => d.doc.topic === topics.responses)
    .sort((a, b) => Date.parse(b.doc.timestamp) - Date.parse(a.doc.timestamp))
    .slice(0, 5)
  assert.deepEqual(
    transactions.map((tx) => tx.correlation_id),
    newestFirst.map((d) => d.doc.transaction_id)
  )
  assert.deepEqual(Object.keys(transactions[0]!).sort(), [
    'correlation_id',
    'latency_ms',
    'message',
    'operation',
    'processing_time_ms',
    'status',
    'timestamp',
    'user_id'
  ])
  const badLimit = await monitor.health.inject({ url: '/transactions/recent?limit=0' })
  assert.equal(badLimit.statusCode, 400)
})

test('a replay of every topic from the start (a new group) adds no document', async (t) => {
  const kafka = createKafka(t)
  const topics = await createTopics(t, kafka)
  const events = Array.from({ length: 30 }, (_, i) => requestEvent(i))
  await produceRaw(
    t,
    kafka,
    topics.requests,
    events.map((event) => ({ key: String(event.data.user_id), value: JSON.stringify(event) }))
  )
  const first = await startMonitor(t, kafka, topics)
  await waitFor(
    'first pass',
    () => countDocuments(first.es, first.names.aliases.all),
    (count) => count === 30
  )
  // Another group on the same prefix reads every record again: the same ids, overwritten.
  const second = await first.start({ MONITOR_GROUP_ID: `${first.groupId}_again` })
  await waitFor(
    'second pass done (its lag is 0)',
    async () => (await second.health.inject({ url: '/metrics' })).body,
    (text) => {
      const lags = [
        ...text.matchAll(/^monitor_consumer_lag\{topic="[^"]*user_events",[^}]*\} (\d+)$/gm)
      ]
      return lags.length === 3 && lags.every((match) => match[1] === '0')
    }
  )
  assert.match(
    (await second.health.inject({ url: '/metrics' })).body,
    /monitor_indexed_documents_total\{[^}]*\} 30/,
    'the second pass did index every record again'
  )
  assert.equal(await countDocuments(first.es, first.names.aliases.all), 30)
})

test('poison messages are indexed as malformed without stalling the events after them', async (t) => {
  const kafka = createKafka(t)
  const topics = await createTopics(t, kafka)
  const { es, names, monitor } = await startMonitor(t, kafka, topics)
  const before = requestEvent(1)
  const after = requestEvent(2)
  // All on one key, so one partition: the good event after the poison must not wait behind it.
  await produceRaw(t, kafka, topics.requests, [
    { key: 'k', value: JSON.stringify(before) },
    { key: 'k', value: Buffer.from([0x00, 0xff, 0xfe, 0x7b]) },
    { key: 'k', value: '{"event_type": "criar_usuario", "correlation_id": "x"' },
    { key: 'k', value: JSON.stringify({ ...requestEvent(3), event_type: 'apagar_tudo' }) },
    { key: 'k', value: null },
    { key: 'k', value: JSON.stringify(after) }
  ])
  await produceRaw(t, kafka, topics.responses, [
    { key: 'r', value: JSON.stringify({ correlation_id: before.correlation_id, status: 'talvez' }) }
  ])
  await produceRaw(t, kafka, topics.deadLetters, [
    {
      key: 'k',
      value: 'não é JSON',
      headers: { 'x-dead-letter-reason': 'message is not JSON', 'x-dead-letter-code': 'not-json' }
    }
  ])

  await waitFor(
    'all 8 indexed',
    () => countDocuments(es, names.aliases.all),
    (n) => n === 8,
    20_000
  )
  const docs = await allDocuments(es, names.aliases.all)
  const good = docs.filter((d) => !d.doc.malformed)
  assert.deepEqual(
    good.map((d) => d.doc.transaction_id),
    [before.correlation_id, after.correlation_id],
    'the events around the poison are indexed normally'
  )
  const malformed = docs.filter((d) => d.index === names.malformed)
  assert.deepEqual(
    malformed.map((d) => [d.doc.topic, d.doc.offset, d.doc.error_code]),
    [
      [topics.responses, 0, 'invalid-envelope'],
      [topics.requests, 1, 'not-json'],
      [topics.requests, 2, 'not-json'],
      [topics.requests, 3, 'unknown-event-type'],
      [topics.requests, 4, 'empty']
    ],
    'sorted by topic, then offset'
  )
  const binary = malformed.find((d) => d.doc.offset === 1)!
  assert.equal(binary.doc.raw_encoding, 'base64')
  assert.deepEqual(Buffer.from(binary.doc.raw!, 'base64'), Buffer.from([0x00, 0xff, 0xfe, 0x7b]))
  assert.equal(
    malformed.find((d) => d.doc.offset === 2)?.doc.raw,
    '{"event_type": "criar_usuario", "correlation_id": "x"'
  )
  assert.equal(
    malformed.find((d) => d.doc.topic === topics.responses)?.doc.transaction_id,
    before.correlation_id,
    'what can be read is kept searchable'
  )
  const letter = docs.find((d) => d.index === names.deadLetters)
  assert.equal(letter?.doc.raw, 'não é JSON')
  assert.equal(letter?.doc.message, 'message is not JSON')
  assert.match(
    (await monitor.health.inject({ url: '/metrics' })).body,
    new RegExp(
      `monitor_malformed_documents_total\\{topic="${topics.requests}",reason="not-json"\\} 2`
    )
  )
})

interface Trace {
  correlation_id: string
  operation: string | null
  status: string
  user_id: string | null
  processing_time_ms: number | null
  end_to_end_latency_ms: number | null
  timeline: Array<{ stage: string; at: string }>
  events: Array<{ kind: string; topic: string; status: string | null; error_code: string | null }>
}

test("a transaction traced through the gateway and the processor; a user's transactions", async (t) => {
  const { app, kafka, topics } = await startPlatform(t)
  const { monitor } = await startMonitor(t, kafka, topics)
  const traceOf = (id: string, count: number) =>
    waitFor(
      `trace of ${id} with ${count} events`,
      () => monitor.health.inject({ url: `/transactions/${id}` }),
      (response) => response.statusCode === 200 && response.json<Trace>().events.length === count
    ).then((response) => response.json<Trace>())

  const created = await succeed(app, 'POST', '/usuarios')
  const userId = (created.accepted.usuario as { user_id: number }).user_id
  const subscribed = await succeed(app, 'POST', `/usuarios/${userId}/assinatura`)

  const trace = await traceOf(created.accepted.correlation_id, 2)
  assert.equal(trace.operation, 'criar_usuario')
  assert.equal(trace.status, 'success')
  assert.equal(trace.user_id, String(userId))
  assert.equal(trace.processing_time_ms, created.result.duration_ms, "the processor's time")
  assert.deepEqual(
    trace.events.map((event) => [event.kind, event.topic]),
    [
      ['request', topics.requests],
      ['reply', topics.responses]
    ]
  )
  assert.deepEqual(
    trace.timeline.map((stage) => stage.stage),
    ['accepted', 'published', 'processed', 'replied', 'indexed']
  )
  const times = trace.timeline.map((stage) => Date.parse(stage.at))
  // One clock (one process) for every stage here: each comes no earlier than the one before.
  for (let i = 1; i < times.length; i++) {
    assert.ok(times[i]! >= times[i - 1]!, `${trace.timeline[i]?.stage} after the stage before`)
  }
  assert.equal(trace.end_to_end_latency_ms, times[2]! - times[0]!, 'processed − accepted')

  // A request the processor cannot read: dead-lettered, and answered with an error.
  const correlationId = randomUUID()
  await produceRaw(t, kafka, topics.requests, [
    {
      key: 'k',
      value: requestEnvelopeJson({ correlation_id: correlationId, event_type: 'apagar_tudo' })
    }
  ])
  const letter = await traceOf(correlationId, 3)
  assert.deepEqual(
    letter.events.map((event) => [event.kind, event.topic]),
    [
      ['malformed', topics.requests],
      ['dead_letter', topics.deadLetters],
      ['reply', topics.responses]
    ]
  )
  assert.equal(letter.status, 'error')
  assert.equal(letter.operation, 'apagar_tudo')
  assert.equal(letter.events[1]?.error_code, 'UNKNOWN_EVENT_TYPE')

  interface Row {
    correlation_id: string
    operation: string
    status: string
    user_id: string
  }
  const rows = await waitFor(
    "the user's two transactions, answered",
    async () =>
      (await monitor.health.inject({ url: `/transactions/recent?user_id=${userId}` })).json<
        Row[]
      >(),
    (list) => list.length === 2 && list.every((row) => row.status === 'success')
  )
  assert.deepEqual(
    rows.map((row) => [row.correlation_id, row.operation, row.user_id]),
    [
      [subscribed.accepted.correlation_id, 'atualizar_assinatura', String(userId)],
      [created.accepted.correlation_id, 'criar_usuario', String(userId)]
    ],
    'newest first, no other transaction'
  )
})
