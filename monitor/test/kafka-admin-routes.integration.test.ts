// The monitor's Kafka API over the real Kafka: topics of the test's own (unique names) with their
// partitions and offsets, the monitor's group and its lag, the last messages of a partition
// decoded, the errors (400, 404, 503); and GET /metrics/summary over two fake services.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { loadMonitorConfig } from '../src/config.ts'
import { createMonitor } from '../src/monitor.ts'
import { kafkaAdminRoutes } from '../src/kafka-admin-routes.ts'
import type { KafkaOverview, PartitionMessages } from '../src/kafka-reads.ts'
import { defer } from '../../test/helpers/cleanup.ts'
import { partitionOfKey, produceRaw } from '../../test/helpers/kafka.ts'
import { monitorSetup, requestEvent, waitFor } from '../../test/helpers/monitor.ts'
import { createTopics } from '../../test/helpers/platform.ts'
import { createElasticsearch, createKafka } from '../../test/helpers/servers.ts'
import Fastify from 'fastify'
import type { Kafka } from 'kafkajs'
import { pino } from 'pino'

/** A fake service whose /metrics answers `text`. */
async function fakeMetrics(t: Parameters<typeof defer>[0], text: () => string): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      response.end(text())
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  defer(t, () => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

test('the Kafka API and the metrics summary over real Kafka', async (t) => {
  const kafka = createKafka(t)
  const topics = await createTopics(t, kafka)
  let replies = 10
  const gatewayUrl = await fakeMetrics(
    t,
    () =>
      `gateway_http_requests_total{method="POST",route="/usuarios",status_code="202"} ${replies}\n` +
      'gateway_http_requests_total{method="POST",route="/usuarios",status_code="503"} 2\n'
  )
  const processorUrl = await fakeMetrics(
    t,
    () =>
      `processor_replies_total{event_type="criar_usuario",status="success"} ${replies}\n` +
      `processor_operation_duration_seconds_bucket{event_type="criar_usuario",le="0.01"} ${replies}\n` +
      `processor_operation_duration_seconds_bucket{event_type="criar_usuario",le="+Inf"} ${replies}\n` +
      `processor_operation_duration_seconds_count{event_type="criar_usuario"} ${replies}\n` +
      'processor_operation_duration_seconds_sum{event_type="criar_usuario"} 0.05\n' +
      'processor_dead_letters_total{code="INTERNAL_ERROR"} 4\n'
  )
  const setup = await monitorSetup(t, kafka, topics, {
    MONITOR_GATEWAY_URL: gatewayUrl,
    MONITOR_PROCESSOR_URL: processorUrl
  })
  const monitor = await setup.start()
  const get = (url: string) => monitor.health.inject({ method: 'GET', url })

  // Three readable requests on the partition of one key, then a text record and a tombstone.
  const key = randomUUID()
  const partition = partitionOfKey(key, 3)
  const events = [requestEvent(0), requestEvent(1), requestEvent(2)]
  await produceRaw(t, kafka, topics.requests, [
    ...events.map((event) => ({
      key,
      value: JSON.stringify(event),
      headers: { correlation_id: event.correlation_id }
    })),
    { key, value: 'não é JSON', headers: { origem: 'teste' } },
    { key, value: null }
  ])

  await t.test(
    'GET /kafka/topics: the topics, their partitions and offsets, no internal ones',
    async () => {
      const overview = await waitFor(
        'the monitor group with offsets on the requests',
        async () => (await get('/kafka/topics')).json<KafkaOverview>(),
        (body) =>
          body.groups.some(
            (g) => g.group_id === setup.groupId && g.topics.some((x) => x.topic === topics.requests)
          ),
        20_000
      )
      assert.ok(overview.topics.every(({ topic }) => !topic.startsWith('__')))
      const requests = overview.topics.find(({ topic }) => topic === topics.requests)
      assert.ok(requests, 'the requests topic is listed')
      assert.deepEqual(
        requests.partitions.map((p) => p.partition),
        [0, 1, 2]
      )
      for (const p of requests.partitions) {
        assert.equal(typeof p.leader, 'number')
        assert.equal(p.low, '0')
        assert.equal(p.high, p.partition === partition ? '5' : '0')
      }
      const dlq = overview.topics.find(({ topic }) => topic === topics.deadLetters)
      assert.equal(dlq?.partitions.length, 1)
    }
  )

  await t.test('the monitor group reaches lag 0 on the requests', async () => {
    const group = await waitFor(
      'lag 0',
      async () =>
        (await get('/kafka/topics'))
          .json<KafkaOverview>()
          .groups.find((g) => g.group_id === setup.groupId),
      (found) =>
        found?.topics.find((x) => x.topic === topics.requests)?.lag === 0 &&
        found.topics.find((x) => x.topic === topics.requests)?.partitions.length === 3,
      20_000
    )
    assert.ok(group)
    const onRequests = group.topics.find((x) => x.topic === topics.requests)
    assert.equal(onRequests?.partitions.find((p) => p.partition === partition)?.committed, '5')
    assert.equal(group.state, 'Stable')
  })

  await t.test('the last messages of a partition, decoded, oldest first', async () => {
    const response = await get(
      `/kafka/topics/${topics.requests}/partitions/${partition}/messages?limit=4`
    )
    assert.equal(response.statusCode, 200, response.body)
    const body = response.json<PartitionMessages>()
    assert.equal(body.low, '0')
    assert.equal(body.high, '5')
    assert.deepEqual(
      body.messages.map((m) => m.offset),
      ['1', '2', '3', '4']
    )
    const [second, third, text, tombstone] = body.messages
    assert.equal(second?.json, true)
    assert.equal(second?.key, key)
    assert.equal(
      (second?.value as { correlation_id: string }).correlation_id,
      events[1]?.correlation_id
    )
    assert.equal(second?.headers.correlation_id, events[1]?.correlation_id)
    assert.ok(!Number.isNaN(Date.parse(third?.timestamp ?? '')))
    assert.deepEqual(
      [text?.json, text?.value, text?.headers],
      [false, 'não é JSON', { origem: 'teste' }]
    )
    assert.deepEqual([tombstone?.json, tombstone?.value], [false, null])
  })

  await t.test('an empty partition answers no messages at once', async () => {
    const empty = [0, 1, 2].find((p) => p !== partition)
    const response = await get(`/kafka/topics/${topics.requests}/partitions/${empty}/messages`)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json<PartitionMessages>().messages, [])
  })

  await t.test('404 for an unknown topic or partition, 400 for bad parameters', async () => {
    const unknown = await get(`/kafka/topics/${topics.requests}-nao-existe/partitions/0/messages`)
    assert.equal(unknown.statusCode, 404)
    assert.match(unknown.json<{ message: string }>().message, /não existe/)
    const noPartition = await get(`/kafka/topics/${topics.requests}/partitions/7/messages`)
    assert.equal(noPartition.statusCode, 404)
    assert.match(noPartition.json<{ message: string }>().message, /partição 7/)
    for (const url of [
      `/kafka/topics/${topics.requests}/partitions/x/messages`,
      `/kafka/topics/${topics.requests}/partitions/0/messages?limit=0`,
      `/kafka/topics/${topics.requests}/partitions/0/messages?limit=101`,
      '/kafka/topics/a%20b/partitions/0/messages'
    ]) {
      const response = await get(url)
      assert.equal(response.statusCode, 400, url)
    }
  })

  await t.test('a topic deleted after the page read it does not break the next reads', async () => {
    const doomed = `${topics.requests}-doomed`
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({
        topics: [{ topic: doomed, numPartitions: 1 }],
        waitForLeaders: true
      })
      const before = await get('/kafka/topics')
      assert.equal(before.statusCode, 200, before.body)
      assert.ok(before.json<KafkaOverview>().topics.some((entry) => entry.topic === doomed))
      await admin.deleteTopics({ topics: [doomed] })
    } finally {
      await admin.disconnect()
    }
    // Metadata may list a deleted topic for a moment; the answer must stay a 200 throughout.
    const after = await waitFor(
      'overview without the deleted topic',
      async () => get('/kafka/topics'),
      (response) =>
        response.statusCode !== 200 ||
        !response.json<KafkaOverview>().topics.some((entry) => entry.topic === doomed),
      20_000
    )
    assert.equal(after.statusCode, 200, after.body)
  })

  await t.test('GET /metrics/summary: the services counters and histograms, the lag', async () => {
    const first = (await get('/metrics/summary')).json<{
      at: number
      gateway: { up: boolean; requests: Record<string, number> }
      processor: {
        up: boolean
        operations: Record<
          string,
          {
            replies: Record<string, number>
            duration: { p50: number; count: number; buckets: unknown[] }
          }
        >
        dead_letters: Record<string, number>
      }
      kafka: { up: boolean }
      lag: Record<string, number>
    }>()
    assert.equal(first.gateway.up, true)
    assert.deepEqual(first.gateway.requests, { '2xx': 10, '5xx': 2 })
    assert.equal(first.processor.up, true)
    assert.deepEqual(first.processor.operations.criar_usuario?.replies, { success: 10 })
    assert.equal(first.processor.operations.criar_usuario?.duration.p50, 0.005)
    assert.deepEqual(first.processor.operations.criar_usuario?.duration.buckets, [
      [0.01, 10],
      ['+Inf', 10]
    ])
    assert.deepEqual(first.processor.dead_letters, { INTERNAL_ERROR: 4 })
    assert.equal(first.kafka.up, true)
    assert.equal(typeof first.lag[setup.groupId], 'number')
    replies = 25
    const second = (await get('/metrics/summary')).json<typeof first>()
    assert.ok(second.at >= first.at)
    assert.equal(second.processor.operations.criar_usuario?.duration.count, 25)
  })
})

test('503 with Retry-After while the monitor has no Kafka connection; a service down is up: false', async (t) => {
  const kafka = createKafka(t)
  const es = createElasticsearch(t)
  const monitor = createMonitor({
    config: loadMonitorConfig({
      MONITOR_GATEWAY_URL: 'http://127.0.0.1:1',
      MONITOR_PROCESSOR_URL: 'http://127.0.0.1:1'
    }),
    log: pino({ level: 'silent' }),
    kafka,
    elasticsearch: es
  })
  defer(t, () => monitor.close())
  for (const url of ['/kafka/topics', '/kafka/topics/user_events/partitions/0/messages']) {
    const response = await monitor.health.inject({ method: 'GET', url })
    assert.equal(response.statusCode, 503, url)
    assert.equal(response.headers['retry-after'], '5')
    assert.match(response.json<{ message: string }>().message, /Kafka indisponível/)
  }
  const summary = await monitor.health.inject({ method: 'GET', url: '/metrics/summary' })
  assert.equal(summary.statusCode, 200)
  assert.deepEqual(
    [summary.json().gateway.up, summary.json().processor.up, summary.json().kafka.up],
    [false, false, false]
  )
})

test('concurrent reads share one admin connection, and every one answers', async (t) => {
  const kafka = createKafka(t)
  let admins = 0
  // Counts the admin clients the routes open, and closes them after the test.
  const opened: Array<ReturnType<Kafka['admin']>> = []
  const counting = new Proxy(kafka, {
    get: (target, property, receiver) =>
      property === 'admin'
        ? () => {
            admins++
            const admin = target.admin()
            opened.push(admin)
            return admin
          }
        : Reflect.get(target, property, receiver)
  })
  const server = Fastify()
  defer(t, async () => {
    await server.close()
    await Promise.all(opened.map((admin) => admin.disconnect().catch(() => {})))
  })
  await server.register(kafkaAdminRoutes, {
    kafka: counting,
    // A started monitor: its own admin is not what these pages read with.
    admin: () => ({}) as ReturnType<Kafka['admin']>,
    gatewayUrl: 'http://127.0.0.1:1',
    processorUrl: 'http://127.0.0.1:1'
  })
  // As the dashboard does when it opens: the topics and the summary at the same moment.
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      server.inject({ method: 'GET', url: i % 2 ? '/metrics/summary' : '/kafka/topics' })
    )
  )
  assert.deepEqual(
    answers.map((answer) => answer.statusCode),
    [200, 200, 200, 200, 200, 200]
  )
  assert.equal(admins, 1, 'one admin client for all six reads')
})
