// The read API over real Kafka and Elasticsearch: events produced as the gateway and the
// processor would, indexed by a monitor of the test's own (topics, group, index prefix).
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { produceRaw } from '../../test/helpers/kafka.ts'
import {
  allDocuments,
  replyEvent,
  requestEvent,
  startMonitor,
  waitFor
} from '../../test/helpers/monitor.ts'
import { createTopics } from '../../test/helpers/platform.ts'
import { createKafka } from '../../test/helpers/servers.ts'
import type { Monitor } from '../src/monitor.ts'
import type { TransactionTrace } from '../src/transaction-trace.ts'
import type { RecentTransaction } from '../src/transactions.ts'

// 16 digits, as the gateway generates them.
const USER = 1796166888499061
const OTHER_USER = 1796166888499062
const THIRD_USER = 1796166888499063

const at = (ms: number) => new Date(Date.UTC(2026, 10, 24, 10) + ms).toISOString()

/** A request of `user` at `ms` (registrar_visualizacao), as the gateway publishes it. */
function requestOf(user: number, ms: number) {
  const request = requestEvent(0)
  return { ...request, timestamp: at(ms), data: { ...request.data, user_id: user } }
}

async function trace(monitor: Monitor, id: string) {
  const response = await monitor.health.inject({ method: 'GET', url: `/transactions/${id}` })
  return { code: response.statusCode, body: response.json<TransactionTrace>() }
}

/** The trace once it holds `count` events (indexing takes a moment). */
const traceOf = (monitor: Monitor, id: string, count: number) =>
  waitFor(
    `trace of ${id} with ${count} events`,
    () => trace(monitor, id),
    ({ code, body }) => code === 200 && body.events.length === count,
    20_000
  ).then(({ body }) => body)

async function recent(monitor: Monitor, query: string) {
  const response = await monitor.health.inject({
    method: 'GET',
    url: `/transactions/recent?${query}`
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.json<RecentTransaction[]>()
}

test('the read API over real Kafka and Elasticsearch', async (t) => {
  const kafka = createKafka(t)
  const topics = await createTopics(t, kafka)
  const { es, names, monitor } = await startMonitor(t, kafka, topics)

  await t.test('a trace: request, dead letter and reply in time order, each named', async () => {
    const request = requestOf(USER, 0)
    const reply = {
      ...replyEvent(request, 17),
      status: 'error',
      message: 'Não foi possível registrar a visualização; tente de novo mais tarde',
      duration_ms: 8.125,
      error: { code: 'RETRIES_EXHAUSTED', retryable: true }
    }
    const before = Date.now()
    await produceRaw(t, kafka, topics.requests, [
      { key: String(USER), value: JSON.stringify(request) }
    ])
    // The processor dead-letters the request as it came, then replies.
    await produceRaw(t, kafka, topics.deadLetters, [
      {
        key: String(USER),
        value: JSON.stringify(request),
        headers: {
          'x-dead-letter-reason': 'retries exhausted',
          'x-dead-letter-code': 'RETRIES_EXHAUSTED'
        }
      }
    ])
    await produceRaw(t, kafka, topics.responses, [
      { key: request.correlation_id, value: JSON.stringify(reply) }
    ])

    const body = await traceOf(monitor, request.correlation_id, 3)
    const docs = (await allDocuments(es, names.aliases.all)).filter(
      (d) => d.doc.transaction_id === request.correlation_id
    )
    const docOf = (topic: string) => docs.find((d) => d.doc.topic === topic)!.doc
    const [requestDoc, letterDoc, replyDoc] = [
      docOf(topics.requests),
      docOf(topics.deadLetters),
      docOf(topics.responses)
    ]

    assert.deepEqual(Object.keys(body), [
      'correlation_id',
      'operation',
      'status',
      'user_id',
      'processing_time_ms',
      'end_to_end_latency_ms',
      'timeline',
      'events'
    ])
    assert.equal(body.correlation_id, request.correlation_id)
    assert.equal(body.operation, 'registrar_visualizacao')
    assert.equal(body.status, 'error', "the reply's status")
    assert.equal(body.user_id, '1796166888499061', 'as text, every digit')
    assert.equal(body.processing_time_ms, 8.125, "the reply's duration_ms")
    assert.equal(body.end_to_end_latency_ms, 17, 'reply time − request time')

    const indexedTimes = docs.map((d) => Date.parse(d.doc.indexed_at!))
    assert.ok(
      indexedTimes.every((time) => time >= before && time <= Date.now()),
      'indexed_at'
    )
    assert.deepEqual(body.timeline, [
      { stage: 'accepted', at: request.timestamp },
      { stage: 'published', at: requestDoc.kafka_timestamp },
      { stage: 'processed', at: reply.timestamp },
      { stage: 'replied', at: replyDoc.kafka_timestamp },
      { stage: 'indexed', at: new Date(Math.max(...indexedTimes)).toISOString() }
    ])
    assert.ok(
      Date.parse(requestDoc.kafka_timestamp) >= before &&
        Date.parse(replyDoc.kafka_timestamp) >= Date.parse(requestDoc.kafka_timestamp),
      'Kafka times of the records'
    )

    assert.deepEqual(
      body.events.map((event) => [event.kind, event.topic, event.partition, event.offset]),
      [
        ['request', topics.requests, requestDoc.partition, requestDoc.offset],
        ['dead_letter', topics.deadLetters, 0, 0],
        ['reply', topics.responses, replyDoc.partition, replyDoc.offset]
      ],
      'in time order: the dead letter (same envelope time) after the request by Kafka time'
    )
    const [requested, letter, replied] = body.events
    assert.deepEqual(Object.keys(replied!), [
      'kind',
      'topic',
      'partition',
      'offset',
      'timestamp',
      'kafka_timestamp',
      'indexed_at',
      'event_type',
      'status',
      'message',
      'error',
      'error_code',
      'duration_ms',
      'latency_ms',
      'payload'
    ])
    assert.deepEqual(requested, {
      kind: 'request',
      topic: topics.requests,
      partition: requestDoc.partition,
      offset: requestDoc.offset,
      timestamp: request.timestamp,
      kafka_timestamp: requestDoc.kafka_timestamp,
      indexed_at: requestDoc.indexed_at,
      event_type: 'registrar_visualizacao',
      status: null,
      message: null,
      error: null,
      error_code: null,
      duration_ms: null,
      latency_ms: null,
      payload: request
    })
    assert.equal(letter?.message, 'retries exhausted')
    assert.equal(letter?.error_code, 'RETRIES_EXHAUSTED')
    assert.equal(letter?.kafka_timestamp, letterDoc.kafka_timestamp)
    assert.deepEqual(letter?.payload, request)
    assert.equal(replied?.event_type, 'response')
    assert.equal(replied?.status, 'error')
    assert.equal(replied?.message, reply.message)
    assert.equal(replied?.error_code, 'RETRIES_EXHAUSTED')
    assert.equal(replied?.duration_ms, 8.125)
    assert.equal(replied?.latency_ms, 17)
    assert.deepEqual(replied?.payload, reply)
  })

  await t.test('only the request indexed: pending, and no stage of the reply', async () => {
    const request = requestOf(USER, 100)
    await produceRaw(t, kafka, topics.requests, [
      { key: String(USER), value: JSON.stringify(request) }
    ])
    const body = await traceOf(monitor, request.correlation_id, 1)
    assert.equal(body.status, 'pending')
    assert.equal(body.processing_time_ms, null)
    assert.equal(body.end_to_end_latency_ms, null)
    assert.deepEqual(
      body.timeline.map((stage) => stage.stage),
      ['accepted', 'published', 'indexed']
    )
    assert.deepEqual(
      body.events.map((event) => event.kind),
      ['request']
    )
  })

  await t.test('a request answered twice (redelivered) is one row of the recent list', async () => {
    const request = requestOf(THIRD_USER, 500)
    const reply = replyEvent(request, 12)
    await produceRaw(t, kafka, topics.requests, [
      { key: String(THIRD_USER), value: JSON.stringify(request) }
    ])
    await produceRaw(t, kafka, topics.responses, [
      { key: request.correlation_id, value: JSON.stringify(reply) },
      { key: request.correlation_id, value: JSON.stringify({ ...reply, latency_ms: 40 }) }
    ])
    await traceOf(monitor, request.correlation_id, 3)
    const rows = (await recent(monitor, 'limit=100')).filter(
      (row) => row.correlation_id === request.correlation_id
    )
    assert.equal(rows.length, 1, 'one row, not one per reply')
  })

  await t.test('an id no document has is a 404 that says it may not be indexed yet', async () => {
    const id = randomUUID()
    const { code, body } = await trace(monitor, id)
    assert.equal(code, 404)
    assert.deepEqual(body, {
      statusCode: 404,
      error: 'Not Found',
      code: 'TRANSACTION_NOT_FOUND',
      message: `Transação ${id} ainda não indexada ou desconhecida: uma operação aceita há pouco aparece aqui alguns instantes depois`
    })
  })

  await t.test("?user_id= lists that user's transactions only, newest first", async () => {
    // The user's: a success whose result names no user (found by its request), a success whose
    // result does, one without a reply yet, and a session touch whose request names no user
    // (found by its reply). Another user's in between must not show.
    const base = 10_000
    const plain = requestOf(USER, base)
    const named = requestOf(USER, base + 1_000)
    const theirs = requestOf(OTHER_USER, base + 1_500)
    const waiting = requestOf(USER, base + 2_000)
    const touchedAt = requestOf(USER, base + 3_000)
    const touch = {
      ...touchedAt,
      event_type: 'atualizar_atividade_sessao',
      data: { session_id: randomUUID() }
    }
    const replies = [
      { ...replyEvent(plain, 20), duration_ms: 1.5 },
      {
        ...replyEvent(named, 30),
        duration_ms: 2.5,
        data: { visualizacao: { user_id: USER, conteudo_id: 'c-0' } }
      },
      replyEvent(theirs, 10),
      {
        ...replyEvent(touchedAt, 40),
        original_event_type: 'atualizar_atividade_sessao',
        message: 'Atividade da sessão atualizada',
        duration_ms: 4.5,
        data: { session_id: touch.data.session_id, user_id: USER }
      }
    ]
    await produceRaw(t, kafka, topics.requests, [
      ...[plain, named, theirs, waiting].map((event) => ({
        key: String(event.data.user_id),
        value: JSON.stringify(event)
      })),
      { key: touch.data.session_id, value: JSON.stringify(touch) }
    ])
    await produceRaw(
      t,
      kafka,
      topics.responses,
      replies.map((event) => ({ key: event.correlation_id, value: JSON.stringify(event) }))
    )
    // Six of the user's in all (two from the subtests before), four of them answered.
    const mine = await waitFor(
      "the user's transactions and their replies",
      () => recent(monitor, `user_id=${USER}&limit=10`),
      (rows) => rows.length === 6 && rows.filter((row) => row.status !== 'pending').length === 4,
      20_000
    )
    // Earlier subtests' transactions of the same user come last (older).
    assert.deepEqual(
      mine.slice(0, 4).map((row) => [row.correlation_id, row.status]),
      [
        [touch.correlation_id, 'success'],
        [waiting.correlation_id, 'pending'],
        [named.correlation_id, 'success'],
        [plain.correlation_id, 'success']
      ]
    )
    assert.ok(!mine.some((row) => row.correlation_id === theirs.correlation_id))
    assert.ok(mine.every((row) => row.user_id === String(USER)))
    assert.deepEqual(mine[0], {
      correlation_id: touch.correlation_id,
      operation: 'atualizar_atividade_sessao',
      status: 'success',
      user_id: String(USER),
      latency_ms: 40,
      processing_time_ms: 4.5,
      timestamp: replies[3]!.timestamp,
      message: 'Atividade da sessão atualizada'
    })
    assert.deepEqual(mine[1], {
      correlation_id: waiting.correlation_id,
      operation: 'registrar_visualizacao',
      status: 'pending',
      user_id: String(USER),
      latency_ms: null,
      processing_time_ms: null,
      timestamp: waiting.timestamp,
      message: null
    })
    assert.deepEqual(
      mine.slice(0, 4).map((row) => row.processing_time_ms),
      [4.5, null, 2.5, 1.5]
    )

    const limited = await recent(monitor, `user_id=${USER}&limit=2`)
    assert.deepEqual(
      limited.map((row) => row.correlation_id),
      [touch.correlation_id, waiting.correlation_id]
    )
    const other = await recent(monitor, `user_id=${OTHER_USER}`)
    assert.deepEqual(
      other.map((row) => [row.correlation_id, row.user_id]),
      [[theirs.correlation_id, String(OTHER_USER)]]
    )
    assert.deepEqual(await recent(monitor, 'user_id=42'), [], 'a user with no transaction')

    // Without the filter: replies, newest first, with what they name of a user.
    const latest = await recent(monitor, 'limit=3')
    assert.deepEqual(
      latest.map((row) => [row.correlation_id, row.user_id, row.processing_time_ms]),
      [
        [touch.correlation_id, String(USER), 4.5],
        [theirs.correlation_id, null, 3],
        [named.correlation_id, String(USER), 2.5]
      ]
    )
  })
})
