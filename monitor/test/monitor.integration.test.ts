import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { test, type TestContext } from 'node:test'
import { Client } from '@elastic/elasticsearch'
import { Kafka, logLevel } from 'kafkajs'
import { pino } from 'pino'
import { assertOversizeAnswers, listenOnFreePort } from '../../test/helpers/raw-http.ts'
import { createElasticsearch, servers } from '../../test/helpers/servers.ts'
import { loadMonitorConfig } from '../src/config.ts'
import { createMonitor } from '../src/monitor.ts'

const log = pino({ level: 'silent' })

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { version: string }

test('health is 503 while the consumer does not run, and names Kafka', async (t) => {
  const monitor = createMonitor({
    config: loadMonitorConfig({}),
    log,
    kafka: new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING }),
    elasticsearch: createElasticsearch(t),
    indexPrefix: 'never_used_'
  })
  t.after(() => monitor.close())
  const response = await monitor.health.inject({ url: '/health' })
  assert.equal(response.statusCode, 503)
  assert.deepEqual(response.json(), {
    status: 'unavailable',
    service: 'monitor',
    mode: 'elasticsearch',
    spooled: 0,
    indexed_per_second: 0,
    checks: { kafka: 'consumer not running', elasticsearch: 'ok' },
    failing: ['kafka']
  })
  const metrics = await monitor.health.inject({ url: '/metrics' })
  assert.equal(metrics.statusCode, 200)
  assert.match(metrics.body, /# TYPE monitor_indexed_documents_total counter/)
  assert.match(metrics.body, /monitor_spooled_documents 0/)
})

test('an index prefix that Elasticsearch would refuse is refused at once', () => {
  assert.throws(
    () =>
      createMonitor({
        config: loadMonitorConfig({}),
        log,
        kafka: new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING }),
        elasticsearch: undefined as never,
        indexPrefix: 'API*'
      }),
    /invalid index prefix/
  )
})

/** A monitor whose clients point nowhere: only its HTTP server is exercised. */
function idleMonitor(t: TestContext, elasticsearchUrl = 'http://127.0.0.1:1') {
  const elasticsearch = new Client({ node: elasticsearchUrl, maxRetries: 0 })
  const monitor = createMonitor({
    config: loadMonitorConfig({}),
    log,
    kafka: new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }),
    elasticsearch,
    indexPrefix: 'never_used_'
  })
  t.after(async () => {
    await monitor.health.close()
    await elasticsearch.close()
  })
  return monitor
}

test('GET / names the service, its version and status', async (t) => {
  const { health } = idleMonitor(t)
  const response = await health.inject({ method: 'GET', url: '/' })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(response.json(), { name: 'streaming-platform-monitor', version, status: 'ok' })
})

test('errors in the platform shape: 405 with Allow, 404, 400 naming the field', async (t) => {
  const { health } = idleMonitor(t)
  for (const [method, url] of [
    ['POST', '/transactions/recent'],
    ['DELETE', '/health'],
    ['PUT', '/metrics'],
    ['OPTIONS', '/']
  ] as const) {
    const response = await health.inject({ method, url })
    assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`)
    assert.equal(response.headers.allow, 'GET, HEAD')
    assert.deepEqual(response.json(), {
      statusCode: 405,
      error: 'Method Not Allowed',
      code: 'METHOD_NOT_ALLOWED',
      message: `O método ${method} não é permitido em ${url}; métodos permitidos: GET, HEAD`
    })
  }

  const missing = await health.inject({ method: 'GET', url: '/transactions' })
  assert.equal(missing.statusCode, 404)
  assert.deepEqual(missing.json(), {
    statusCode: 404,
    error: 'Not Found',
    code: 'ROUTE_NOT_FOUND',
    message: 'Rota não encontrada: GET /transactions'
  })

  const badLimit = await health.inject({ method: 'GET', url: '/transactions/recent?limit=0' })
  assert.equal(badLimit.statusCode, 400)
  assert.deepEqual(badLimit.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'VALIDATION_ERROR',
    message: 'querystring.limit deve ser no mínimo 1'
  })
})

test('Elasticsearch away: 503 in the platform shape, no English cause in the message', async (t) => {
  const { health } = idleMonitor(t)
  const response = await health.inject({ method: 'GET', url: '/transactions/recent' })
  assert.equal(response.statusCode, 503)
  assert.equal(response.headers['retry-after'], '5')
  assert.deepEqual(response.json(), {
    statusCode: 503,
    error: 'Service Unavailable',
    code: 'SERVICE_UNAVAILABLE',
    message: 'Elasticsearch indisponível: as transações recentes não podem ser lidas agora'
  })
})

test('a malformed correlation id or user id is a 400 naming it', async (t) => {
  const { health } = idleMonitor(t)
  for (const id of ['not-a-uuid', '123', 'a3f1c9e2-0000-4000-8000-00000000000g']) {
    const response = await health.inject({ method: 'GET', url: `/transactions/${id}` })
    assert.equal(response.statusCode, 400, `${id}: ${response.body}`)
    assert.deepEqual(response.json(), {
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_ERROR',
      message: 'params.correlation_id não está no formato esperado'
    })
  }
  for (const [userId, message] of [
    ['abc', 'querystring.user_id deve ser um número inteiro'],
    ['0', 'querystring.user_id deve ser no mínimo 1'],
    ['90071992547409920', 'querystring.user_id deve ser no máximo 9007199254740991']
  ] as const) {
    const response = await health.inject({ url: `/transactions/recent?user_id=${userId}` })
    assert.equal(response.statusCode, 400, `${userId}: ${response.body}`)
    assert.equal(response.json<{ message: string }>().message, message)
  }
})

test("Elasticsearch away: a trace and a user's list are 503 with Retry-After", async (t) => {
  const { health } = idleMonitor(t)
  const started = performance.now()
  const response = await health.inject({
    method: 'GET',
    url: '/transactions/6f1c2a9e-3b7d-4c55-9a0e-2d4b8c1e7f30'
  })
  assert.ok(performance.now() - started < 5_000)
  assert.equal(response.statusCode, 503)
  assert.equal(response.headers['retry-after'], '5')
  assert.deepEqual(response.json(), {
    statusCode: 503,
    error: 'Service Unavailable',
    code: 'SERVICE_UNAVAILABLE',
    message: 'Elasticsearch indisponível: a transação não pode ser rastreada agora'
  })
  const byUser = await health.inject({ url: '/transactions/recent?user_id=1796166888499061' })
  assert.equal(byUser.statusCode, 503)
  assert.equal(byUser.headers['retry-after'], '5')
})

test('an Elasticsearch that takes the connection and never answers: 503 after the read timeout', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => silent.close(() => resolve()))
  })
  const { port } = silent.address() as AddressInfo
  const { health } = idleMonitor(t, `http://127.0.0.1:${port}`)
  const started = performance.now()
  const response = await health.inject({
    url: '/transactions/6f1c2a9e-3b7d-4c55-9a0e-2d4b8c1e7f30'
  })
  const elapsed = performance.now() - started
  assert.equal(response.statusCode, 503, response.body)
  assert.equal(response.headers['retry-after'], '5')
  assert.ok(elapsed >= 2_500 && elapsed < 6_000, `answered after ${Math.round(elapsed)} ms`)
})

test('a failing route is 500 without details', async (t) => {
  const { health } = idleMonitor(t)
  // A route of the test's own on the monitor's server, to reach its error handler.
  health.get('/probe', async () => {
    throw new Error('ES: security_exception for user elastic')
  })
  const response = await health.inject({ method: 'GET', url: '/probe' })
  assert.equal(response.statusCode, 500)
  assert.deepEqual(response.json(), {
    statusCode: 500,
    error: 'Internal Server Error',
    code: 'INTERNAL_ERROR',
    message: 'Erro interno; os detalhes estão no log do monitor'
  })
})

test('over a real socket: 414 for a long URL, 431 for a large head', async (t) => {
  const { health } = idleMonitor(t)
  const port = await listenOnFreePort(t, health)
  await assertOversizeAnswers(port, '/')
})
