// The live charts' data as pure functions: the Prometheus text parser, histogram quantiles and
// the gateway's and processor's summaries.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  bucketDelta,
  bucketsToJson,
  histogramQuantile,
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
