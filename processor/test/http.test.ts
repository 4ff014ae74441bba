// The processor's HTTP server on its own, the dependencies it reports on played by probes that
// answer or fail as each test says: /health and its 503, /metrics, and the platform's error
// shape and codes.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { pino } from 'pino'
import { assertOversizeAnswers, listenOnFreePort } from '../../test/helpers/raw-http.ts'
import { createProcessorHttpServer, type DependencyProbes } from '../src/http.ts'
import { createProcessorMetrics } from '../src/metrics.ts'

type ErrorBody = { statusCode: number; error: string; code: string; message: string }

const answering: DependencyProbes = {
  kafka: async () => ({ brokers: [] }),
  postgres: async () => {},
  mongodb: async () => ({ ok: 1 }),
  redis: async () => 'PONG'
}

function server(
  t: TestContext,
  { probes = answering, consuming = true }: { probes?: DependencyProbes; consuming?: boolean } = {}
) {
  const metrics = createProcessorMetrics()
  const http = createProcessorHttpServer({
    log: pino({ level: 'silent' }),
    metrics,
    probes,
    isConsuming: () => consuming
  })
  t.after(() => http.close())
  return { http, metrics }
}

test('/health is 200 when every dependency answers and the consumer runs', async (t) => {
  const { http } = server(t)
  const response = await http.inject({ method: 'GET', url: '/health' })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(response.json(), {
    status: 'ok',
    service: 'processor',
    consuming: true,
    checks: { kafka: 'ok', postgres: 'ok', mongodb: 'ok', redis: 'ok' }
  })
})

test('/health is 503 naming the dependency that fails, with its reason', async (t) => {
  const { http } = server(t, {
    probes: {
      ...answering,
      mongodb: async () => {
        throw new Error('connection refused')
      }
    }
  })
  const response = await http.inject({ method: 'GET', url: '/health' })
  assert.equal(response.statusCode, 503)
  assert.deepEqual(response.json(), {
    status: 'unavailable',
    service: 'processor',
    consuming: true,
    checks: { kafka: 'ok', postgres: 'ok', mongodb: 'connection refused', redis: 'ok' },
    failing: ['mongodb']
  })
})

test('until the consumer runs, Kafka is not ok even when the broker answers', async (t) => {
  const { http } = server(t, { consuming: false })
  const response = await http.inject({ method: 'GET', url: '/health' })
  assert.equal(response.statusCode, 503)
  const body = response.json<{
    consuming: boolean
    checks: Record<string, string>
    failing: string[]
  }>()
  assert.equal(body.consuming, false)
  assert.equal(body.checks.kafka, 'consumer not running')
  assert.deepEqual(body.failing, ['kafka'])
})

test('/metrics serves the processor registry in the Prometheus format', async (t) => {
  const { http, metrics } = server(t)
  metrics.deadLetters.inc({ code: 'INVALID_REQUEST' })
  const response = await http.inject({ method: 'GET', url: '/metrics' })
  assert.equal(response.statusCode, 200)
  assert.equal(response.headers['content-type'], metrics.registry.contentType)
  assert.match(response.body, /^processor_dead_letters_total\{code="INVALID_REQUEST"\} 1$/m)
})

test('a known path with another method is 405 with Allow; an unknown path 404', async (t) => {
  const { http } = server(t)
  for (const [method, url] of [
    ['POST', '/health'],
    ['DELETE', '/metrics'],
    ['PUT', '/'],
    ['OPTIONS', '/health']
  ] as const) {
    const response = await http.inject({ method, url })
    assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`)
    assert.equal(response.headers.allow, 'GET, HEAD', 'no CORS here: OPTIONS is not answered')
    assert.deepEqual(response.json(), {
      statusCode: 405,
      error: 'Method Not Allowed',
      code: 'METHOD_NOT_ALLOWED',
      message: `O método ${method} não é permitido em ${url}; métodos permitidos: GET, HEAD`
    })
  }
  const missing = await http.inject({ method: 'GET', url: '/status' })
  assert.equal(missing.statusCode, 404)
  assert.deepEqual(missing.json(), {
    statusCode: 404,
    error: 'Not Found',
    code: 'ROUTE_NOT_FOUND',
    message: 'Rota não encontrada: GET /status'
  })
})

test('errors of its routes: 400 naming the field, 500 without details', async (t) => {
  const { http } = server(t)
  // Routes of the test's own on the processor's server, to reach its error handler.
  http.get(
    '/probe',
    { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
    async () => {
      throw new Error('pg: password authentication failed for user "streaming"')
    }
  )
  const bad = await http.inject({ method: 'GET', url: '/probe?n=x' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(bad.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'VALIDATION_ERROR',
    message: 'querystring.n deve ser um número inteiro'
  })
  const failed = await http.inject({ method: 'GET', url: '/probe?n=1' })
  assert.equal(failed.statusCode, 500)
  const body = failed.json<ErrorBody>()
  assert.deepEqual(body, {
    statusCode: 500,
    error: 'Internal Server Error',
    code: 'INTERNAL_ERROR',
    message: 'Erro interno; os detalhes estão no log do processor'
  })
})

test('over a real socket: 414 for a long URL, 431 for a large head', async (t) => {
  const { http } = server(t)
  const port = await listenOnFreePort(t, http)
  await assertOversizeAnswers(port, '/')
})
