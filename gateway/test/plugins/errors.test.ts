// The gateway's error answers on a bare Fastify with its error and CORS plugins (no server):
// 405 with Allow (OPTIONS included: CORS answers preflights on every path) beside working
// preflights, 404 for unknown paths, the gateway's own errors in their shape, and a 503 with
// Retry-After when Redis refuses writes or cannot be reached (a client pointed at a closed port).
// errors.integration.test.ts checks the real gateway's routes and a real socket.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { httpErrors, httpServerOptions } from '@streaming/runtime'
import Fastify from 'fastify'
import { Redis, ReplyError } from 'ioredis'
import { HttpError } from '../../src/errors.ts'
import cors from '../../src/plugins/cors.ts'
import errors from '../../src/plugins/errors.ts'

const origin = 'http://127.0.0.1:8089'

test('405 with Allow beside CORS: preflights still answered, unknown paths 404', async (t) => {
  const app = Fastify({ ...httpServerOptions })
  t.after(() => app.close())
  await app.register(errors)
  await app.register(httpErrors)
  await app.register(cors, { origins: [origin] })
  app.get('/health', async () => ({ status: 'ok' }))
  app.post('/usuarios', async () => {
    throw new HttpError('ALREADY_FINISHED', 'Operação já concluída')
  })

  const wrong = await app.inject({ method: 'DELETE', url: '/health', headers: { origin } })
  assert.equal(wrong.statusCode, 405, wrong.body)
  assert.equal(wrong.headers.allow, 'GET, HEAD, OPTIONS')
  assert.equal(wrong.headers['access-control-allow-origin'], origin, 'readable by the dashboard')
  assert.deepEqual(wrong.json(), {
    statusCode: 405,
    error: 'Method Not Allowed',
    code: 'METHOD_NOT_ALLOWED',
    message: 'O método DELETE não é permitido em /health; métodos permitidos: GET, HEAD, OPTIONS'
  })

  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/usuarios',
    headers: { origin, 'access-control-request-method': 'POST' }
  })
  assert.equal(preflight.statusCode, 204)
  assert.equal(preflight.headers['access-control-allow-origin'], origin)

  const missing = await app.inject({ method: 'GET', url: '/nada?x=1' })
  assert.equal(missing.statusCode, 404)
  assert.deepEqual(missing.json(), {
    statusCode: 404,
    error: 'Not Found',
    code: 'ROUTE_NOT_FOUND',
    message: 'Rota não encontrada: GET /nada'
  })

  // The gateway's own errors keep their shape.
  const conflict = await app.inject({ method: 'POST', url: '/usuarios' })
  assert.equal(conflict.statusCode, 409)
  assert.deepEqual(conflict.json(), {
    statusCode: 409,
    code: 'ALREADY_FINISHED',
    error: 'Conflict',
    message: 'Operação já concluída'
  })
})

test('Redis refusing writes or out of reach: 503 SERVICE_UNAVAILABLE with Retry-After', async (t) => {
  // What Redis answers a write under `noeviction` once it reached maxmemory.
  const app = Fastify()
  t.after(() => app.close())
  await app.register(errors)
  app.get('/oom', async () => {
    throw new ReplyError("OOM command not allowed when used memory > 'maxmemory'.")
  })
  const oom = await app.inject({ url: '/oom' })
  assert.equal(oom.statusCode, 503, oom.body)
  assert.equal(oom.headers['retry-after'], '5')
  assert.equal(oom.json<{ code: string }>().code, 'SERVICE_UNAVAILABLE')
  assert.match(oom.json<{ message: string }>().message, /Redis/)

  // A real client whose Redis does not answer: bounded and explained.
  const unreachable = new Redis('redis://127.0.0.1:1', {
    maxRetriesPerRequest: 1,
    connectTimeout: 500,
    lazyConnect: true
  })
  unreachable.on('error', () => {})
  t.after(() => unreachable.disconnect())
  const gateway = Fastify()
  t.after(() => gateway.close())
  await gateway.register(errors)
  gateway.get('/status-like', async () => unreachable.get('status:x'))
  const started = performance.now()
  const down = await gateway.inject({ url: '/status-like' })
  assert.equal(down.statusCode, 503, down.body)
  assert.ok(performance.now() - started < 5_000, 'answered within a bound')
  assert.equal(down.json<{ code: string }>().code, 'SERVICE_UNAVAILABLE')
})
