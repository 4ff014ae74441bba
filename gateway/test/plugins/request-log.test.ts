import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import Fastify, { LogController } from 'fastify'
import { pino } from 'pino'
import requestLog from '../../src/plugins/request-log.ts'

function appWithCapturedLog() {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    }
  })
  const app = Fastify({
    loggerInstance: pino({ level: 'info' }, stream),
    logController: new LogController({ disableRequestLogging: true })
  })
  return { app, lines }
}

test('one line per request, naming the accepted operation', async (t) => {
  const { app, lines } = appWithCapturedLog()
  t.after(() => app.close())
  await app.register(requestLog)
  app.post('/usuarios', async (request, reply) => {
    request.acceptedOperation = {
      correlation_id: '3f1c2b9e-5d4a-4f6b-9c8d-7e6f5a4b3c2d',
      event_type: 'criar_usuario'
    }
    return reply.code(202).send({ ok: true })
  })
  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))

  assert.equal((await app.inject({ method: 'POST', url: '/usuarios?x=1' })).statusCode, 202)
  assert.equal((await app.inject({ method: 'GET', url: '/missing' })).statusCode, 404)
  assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)

  const completed = lines.filter((line) => line.msg === 'request completed')
  assert.equal(lines.length, completed.length, 'no other request lines')
  assert.equal(completed.length, 2, 'the health check (logLevel warn) writes none')
  const [accepted, missing] = completed
  assert.equal(accepted?.correlation_id, '3f1c2b9e-5d4a-4f6b-9c8d-7e6f5a4b3c2d')
  assert.equal(accepted?.event_type, 'criar_usuario')
  assert.equal(accepted?.status, 202)
  assert.equal(accepted?.method, 'POST')
  assert.equal(accepted?.url, '/usuarios?x=1')
  assert.equal(typeof accepted?.response_ms, 'number')
  assert.equal(missing?.status, 404)
  assert.equal(missing?.correlation_id, undefined)
})
