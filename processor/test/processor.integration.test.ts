// The processor's health and metrics server, without any server behind it (the clients are
// created and never connected): its root route and the platform's error shape and codes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test, type TestContext } from 'node:test'
import { Redis } from 'ioredis'
import { Kafka, logLevel } from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { pino } from 'pino'
import { assertOversizeAnswers, listenOnFreePort } from '../../test/helpers/raw-http.ts'
import { loadProcessorConfig } from '../src/config.ts'
import { createProcessor } from '../src/processor.ts'

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { version: string }

type ErrorBody = { statusCode: number; error: string; code: string; message: string }

/** A processor whose clients point nowhere: only its HTTP server is exercised. */
function idleProcessor(t: TestContext) {
  const postgres = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' })
  const mongo = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 100 })
  const redis = new Redis({ port: 1, lazyConnect: true })
  const processor = createProcessor({
    config: loadProcessorConfig({}),
    log: pino({ level: 'silent' }),
    kafka: new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }),
    postgres,
    mongodb: mongo.db('none'),
    redis
  })
  t.after(async () => {
    await processor.health.close()
    await postgres.end()
    await mongo.close()
    redis.disconnect()
  })
  return processor
}

test('GET / names the service, its version and status', async (t) => {
  const { health } = idleProcessor(t)
  const response = await health.inject({ method: 'GET', url: '/' })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(response.json(), { name: 'streaming-platform-processor', version, status: 'ok' })
})

test('a known path with another method is 405 with Allow; an unknown path 404', async (t) => {
  const { health } = idleProcessor(t)
  for (const [method, url] of [
    ['POST', '/health'],
    ['DELETE', '/metrics'],
    ['PUT', '/'],
    ['OPTIONS', '/health']
  ] as const) {
    const response = await health.inject({ method, url })
    assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`)
    assert.equal(response.headers.allow, 'GET, HEAD', 'no CORS here: OPTIONS is not answered')
    assert.deepEqual(response.json(), {
      statusCode: 405,
      error: 'Method Not Allowed',
      code: 'METHOD_NOT_ALLOWED',
      message: `O método ${method} não é permitido em ${url}; métodos permitidos: GET, HEAD`
    })
  }
  const missing = await health.inject({ method: 'GET', url: '/status' })
  assert.equal(missing.statusCode, 404)
  assert.deepEqual(missing.json(), {
    statusCode: 404,
    error: 'Not Found',
    code: 'ROUTE_NOT_FOUND',
    message: 'Rota não encontrada: GET /status'
  })
})

test('errors of its routes: 400 naming the field, 500 without details', async (t) => {
  const { health } = idleProcessor(t)
  // Routes of the test's own on the processor's server, to reach its error handler.
  health.get(
    '/probe',
    { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
    async () => {
      throw new Error('pg: password authentication failed for user "streaming"')
    }
  )
  const bad = await health.inject({ method: 'GET', url: '/probe?n=x' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(bad.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'VALIDATION_ERROR',
    message: 'querystring.n deve ser um número inteiro'
  })
  const failed = await health.inject({ method: 'GET', url: '/probe?n=1' })
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
  const { health } = idleProcessor(t)
  const port = await listenOnFreePort(t, health)
  await assertOversizeAnswers(port, '/')
})
