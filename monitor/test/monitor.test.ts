import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
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
function idleMonitor(t: TestContext) {
  const elasticsearch = new Client({ node: 'http://127.0.0.1:1', maxRetries: 0 })
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
