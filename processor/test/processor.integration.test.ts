// The processor as createProcessor composes it, without any server behind it (the clients are
// created and never connected): its HTTP server is there, names the service and its version,
// and serves the metrics the processor records. The server's routes and errors are tested on
// their own in http.test.ts.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test, type TestContext } from 'node:test'
import { Redis } from 'ioredis'
import { Kafka, logLevel } from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { pino } from 'pino'
import { loadProcessorConfig } from '../src/config.ts'
import { createProcessor } from '../src/processor.ts'

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { version: string }

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

test('GET /metrics serves the metrics the processor records', async (t) => {
  const { health, metrics } = idleProcessor(t)
  metrics.replies.inc({ event_type: 'criar_usuario', status: 'success' })
  const response = await health.inject({ method: 'GET', url: '/metrics' })
  assert.equal(response.statusCode, 200)
  assert.match(
    response.body,
    /^processor_replies_total\{event_type="criar_usuario",status="success"\} 1$/m
  )
})
