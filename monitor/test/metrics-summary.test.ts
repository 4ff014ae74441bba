// The live charts' data: the Prometheus text parser, histogram quantiles and the gateway's and
// processor's summaries as pure functions; the summary as served over two local fake services.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import {
  bucketDelta,
  bucketsToJson,
  histogramQuantile,
  metricsSummary,
  parsePrometheus,
  summarizeGateway,
  summarizeProcessor,
  type Buckets
} from '../src/metrics-summary.ts'

const processorText = `# HELP processor_replies_total Replies published, by operation and status
# TYPE processor_replies_total counter
processor_replies_total{event_type="criar_usuario",status="success"} 90
processor_replies_total{event_type="criar_usuario",status="error"} 10
processor_replies_total{event_type="registrar_visualizacao",status="success"} 5

# TYPE processor_operation_duration_seconds histogram
processor_operation_duration_seconds_bucket{le="0.01",event_type="criar_usuario"} 50
processor_operation_duration_seconds_bucket{le="0.001",event_type="criar_usuario"} 0
processor_operation_duration_seconds_bucket{le="0.1",event_type="criar_usuario"} 100
processor_operation_duration_seconds_bucket{le="+Inf",event_type="criar_usuario"} 100
processor_operation_duration_seconds_sum{event_type="criar_usuario"} 2.5
processor_operation_duration_seconds_count{event_type="criar_usuario"} 100
processor_dead_letters_total{code="INTERNAL_ERROR"} 3
processor_dead_letters_total{code="RETRIES_EXHAUSTED"} 2
processor_retries_total{event_type="criar_usuario"} 7
processor_redeliveries_total{event_type="criar_usuario"} 1
process_cpu_seconds_total 12.5
`

test('parsePrometheus: names, labels (escapes included), values, comments skipped', () => {
  const samples = parsePrometheus(
    [
      '# HELP x_total help text',
      'x_total 3',
      'y{a="1",b="two words"} 4.5 1700000000000',
      String.raw`z{path="C:\\dir",quote="say \"hi\"",nl="a\nb"} -1`,
      'w{le="+Inf"} +Inf',
      'nan_metric NaN',
      'broken{a="1" 2',
      '',
      'trailing{a="1",} 7'
    ].join('\n')
  )
  assert.deepEqual(samples, [
    { name: 'x_total', labels: {}, value: 3 },
    { name: 'y', labels: { a: '1', b: 'two words' }, value: 4.5 },
    { name: 'z', labels: { path: 'C:\\dir', quote: 'say "hi"', nl: 'a\nb' }, value: -1 },
    { name: 'w', labels: { le: '+Inf' }, value: Infinity },
    { name: 'trailing', labels: { a: '1' }, value: 7 }
  ])
})

test('histogramQuantile interpolates inside the bucket, as histogram_quantile does', () => {
  const buckets: Buckets = [
    [0.01, 50],
    [0.1, 100],
    [Infinity, 100]
  ]
  assert.equal(histogramQuantile(0.5, buckets), 0.01)
  // rank 95 of 100: 45/50 of the way from 0.01 to 0.1
  assert.ok(Math.abs((histogramQuantile(0.95, buckets) ?? 0) - 0.091) < 1e-9)
  assert.equal(histogramQuantile(0.25, buckets), 0.005)
  assert.equal(histogramQuantile(0.5, []), null)
  assert.equal(histogramQuantile(0.5, [[Infinity, 0]]), null)
  // All in +Inf: the highest finite bound.
  assert.equal(
    histogramQuantile(0.99, [
      [1, 0],
      [Infinity, 4]
    ]),
    1
  )
})

test('bucketDelta: the observations between two reads', () => {
  assert.deepEqual(
    bucketDelta(
      [
        [0.01, 60],
        [Infinity, 70]
      ],
      [
        [0.01, 50],
        [Infinity, 50]
      ]
    ),
    [
      [0.01, 10],
      [Infinity, 20]
    ]
  )
  assert.deepEqual(bucketsToJson([[Infinity, 1]]), [['+Inf', 1]])
})

test('summarizeProcessor: replies, sorted duration buckets, dead letters, retries', () => {
  const summary = summarizeProcessor(parsePrometheus(processorText))
  assert.deepEqual(summary.operations.criar_usuario, {
    replies: { success: 90, error: 10 },
    duration: {
      count: 100,
      sum: 2.5,
      buckets: [
        [0.001, 0],
        [0.01, 50],
        [0.1, 100],
        [Infinity, 100]
      ]
    }
  })
  assert.deepEqual(summary.operations.registrar_visualizacao?.replies, { success: 5 })
  assert.deepEqual(summary.dead_letters, { INTERNAL_ERROR: 3, RETRIES_EXHAUSTED: 2 })
  assert.equal(summary.retries, 7)
  assert.equal(summary.redeliveries, 1)
})

test('summarizeGateway: requests by status class without health and metrics, outcomes', () => {
  const summary = summarizeGateway(
    parsePrometheus(`gateway_http_requests_total{method="GET",route="/health",status_code="200"} 30
gateway_http_requests_total{method="GET",route="/metrics",status_code="200"} 4
gateway_http_requests_total{method="POST",route="/usuarios",status_code="202"} 10
gateway_http_requests_total{method="POST",route="/usuarios",status_code="400"} 2
gateway_http_requests_total{method="POST",route="/usuarios",status_code="503"} 1
gateway_http_requests_total{method="GET",route="/status/:correlation_id",status_code="200"} 5
gateway_operation_outcomes_total{event_type="criar_usuario",status="success"} 9
gateway_operation_outcomes_total{event_type="criar_usuario",status="error"} 1
`)
  )
  assert.deepEqual(summary.requests, { '2xx': 15, '4xx': 2, '5xx': 1 })
  assert.deepEqual(summary.outcomes, { criar_usuario: { success: 9, error: 1 } })
})

/** A local service whose /metrics answers `text` with `status` (anything else: 404); its URL. */
async function fakeService(t: TestContext, text: string, status = 200): Promise<string> {
  const server: Server = createServer((request, response) => {
    response.writeHead(request.url === '/metrics' ? status : 404, { 'content-type': 'text/plain' })
    response.end(request.url === '/metrics' ? text : '')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A local port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

test('metricsSummary: both services read, quantiles and JSON buckets, the lag per group', async (t) => {
  const processor = await fakeService(t, processorText)
  const gateway = await fakeService(
    t,
    'gateway_http_requests_total{method="POST",route="/usuarios",status_code="202"} 10\n'
  )
  const overview = async () => ({
    topics: [],
    groups: [
      { group_id: 'processor', state: 'Stable', topics: [], lag: 4 },
      { group_id: 'monitor', state: 'Stable', topics: [], lag: 0 }
    ]
  })
  const before = Date.now()
  const summary = await metricsSummary(overview, gateway, processor)
  assert.ok(summary.at >= before && summary.at <= Date.now())
  assert.equal(summary.gateway.up, true)
  assert.deepEqual(summary.gateway.requests, { '2xx': 10 })
  assert.equal(summary.processor.up, true)
  const operation = summary.processor.operations.criar_usuario
  assert.deepEqual(operation?.replies, { success: 90, error: 10 })
  assert.equal(operation?.duration.count, 100)
  assert.ok(Math.abs((operation?.duration.p50 ?? 0) - 0.01) < 1e-9)
  assert.ok(Math.abs((operation?.duration.p95 ?? 0) - 0.091) < 1e-9)
  assert.deepEqual(operation?.duration.buckets.at(-1), ['+Inf', 100])
  assert.equal(summary.processor.retries, 7)
  assert.deepEqual(summary.kafka, { up: true })
  assert.deepEqual(summary.lag, { processor: 4, monitor: 0 })
})

test('metricsSummary: a service or Kafka that does not answer is down, not an error', async () => {
  const down = await closedPort()
  const failing = await metricsSummary(
    () => Promise.reject(new Error('kafka away')),
    down,
    `${down}/`
  )
  assert.equal(failing.gateway.up, false)
  assert.equal(failing.processor.up, false)
  assert.deepEqual(failing.processor.operations, {})
  assert.deepEqual(failing.kafka, { up: false })
  assert.deepEqual(failing.lag, {})

  const notStarted = await metricsSummary(undefined, down, down)
  assert.deepEqual([notStarted.kafka, notStarted.lag], [{ up: false }, {}], 'no admin yet')
})

test('metricsSummary: a /metrics answering an error status counts as down', async (t) => {
  const failing = await fakeService(t, 'internal error', 500)
  const processor = await fakeService(t, processorText)
  const summary = await metricsSummary(undefined, failing, processor)
  assert.equal(summary.gateway.up, false)
  assert.deepEqual(summary.gateway.requests, {})
  assert.equal(summary.processor.up, true)
})
