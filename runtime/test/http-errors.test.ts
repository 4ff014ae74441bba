// The HTTP layer every service shares, on a bare Fastify: 404 for an unknown path, 405 with Allow
// for a known path and a method it does not declare, 414 and 431 in the platform's error shape,
// and the error handler of the processor and the monitor.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { pino } from 'pino'
import {
  assertOversizeAnswers,
  listenOnFreePort,
  rawExchange
} from '../../test/helpers/raw-http.ts'
import { createErrorHandler, httpErrors, httpServerOptions } from '../src/index.ts'

type ErrorBody = { statusCode: number; error: string; code: string; message: string }

async function bareApp(
  t: { after: (fn: () => unknown) => void },
  options: FastifyServerOptions = {}
) {
  const app = Fastify({ ...httpServerOptions, ...options })
  t.after(() => app.close())
  await app.register(httpErrors)
  app.get('/health', async () => ({ status: 'ok' }))
  app.post('/usuarios', async () => ({}))
  app.route({ method: ['GET', 'DELETE'], url: '/status/:id', handler: async () => ({}) })
  app.put('/sessoes/:id/atividade', async () => ({}))
  app.get('/declines', async (_request, reply) => reply.callNotFound())
  await app.register(
    async (docs) => {
      docs.get('/', async () => 'docs')
      docs.get('/static/*', async () => 'file')
    },
    { prefix: '/docs' }
  )
  return app
}

function assertShape(body: ErrorBody, statusCode: number, error: string, code: string) {
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'])
  assert.equal(body.statusCode, statusCode)
  assert.equal(body.error, error)
  assert.equal(body.code, code)
}

test('a known path with another method: 405, Allow listing its methods', async (t) => {
  const app = await bareApp(t)
  const cases = [
    { method: 'POST', url: '/health', allow: 'GET, HEAD' },
    { method: 'DELETE', url: '/health?x=1', allow: 'GET, HEAD' },
    { method: 'GET', url: '/usuarios', allow: 'POST' },
    { method: 'HEAD', url: '/usuarios', allow: 'POST' },
    { method: 'POST', url: '/status/abc', allow: 'GET, HEAD, DELETE' },
    { method: 'GET', url: '/sessoes/abc/atividade', allow: 'PUT' },
    { method: 'OPTIONS', url: '/health', allow: 'GET, HEAD' },
    { method: 'PATCH', url: '/docs', allow: 'GET, HEAD' },
    { method: 'POST', url: '/docs/', allow: 'GET, HEAD' },
    { method: 'PUT', url: '/docs/static/app.js', allow: 'GET, HEAD' },
    { method: 'PROPFIND', url: '/health', allow: 'GET, HEAD' }
  ] as const
  for (const c of cases) {
    const response = await app.inject({ method: c.method, url: c.url })
    const what = `${c.method} ${c.url}`
    assert.equal(response.statusCode, 405, `${what}: ${response.body}`)
    assert.equal(response.headers.allow, c.allow, what)
    if (c.method === 'HEAD') continue
    const body = response.json<ErrorBody>()
    assertShape(body, 405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED')
    const path = c.url.split('?')[0]
    assert.equal(
      body.message,
      `O método ${c.method} não é permitido em ${path}; métodos permitidos: ${c.allow}`,
      what
    )
  }
  // The declared methods still answer.
  assert.equal((await app.inject({ method: 'HEAD', url: '/health' })).statusCode, 200)
  assert.equal((await app.inject({ method: 'DELETE', url: '/status/abc' })).statusCode, 200)
})

test('an unknown path stays 404 ROUTE_NOT_FOUND, in Portuguese', async (t) => {
  const app = await bareApp(t)
  for (const [method, url] of [
    ['GET', '/nada'],
    ['POST', '/health/extra'],
    ['GET', '/health/'],
    ['DELETE', '/status'],
    ['GET', '/declines']
  ] as const) {
    const response = await app.inject({ method, url })
    assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`)
    assert.equal(response.headers.allow, undefined)
    const body = response.json<ErrorBody>()
    assertShape(body, 404, 'Not Found', 'ROUTE_NOT_FOUND')
    assert.equal(body.message, `Rota não encontrada: ${method} ${url}`)
  }
})

test('a catch-all route (CORS preflights) adds its method to Allow, not a path', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  await app.register(httpErrors)
  app.options('*', async (_request, reply) => reply.code(204).send())
  app.get('/health', async () => ({ status: 'ok' }))

  const wrong = await app.inject({ method: 'POST', url: '/health' })
  assert.equal(wrong.statusCode, 405)
  assert.equal(wrong.headers.allow, 'GET, HEAD, OPTIONS')
  assert.equal((await app.inject({ method: 'OPTIONS', url: '/health' })).statusCode, 204)
  assert.equal((await app.inject({ method: 'POST', url: '/nada' })).statusCode, 404)
})

test('the router refusals: an undecodable URL is 400, an over-long parameter 414', async (t) => {
  const app = await bareApp(t)
  const bad = await app.inject({ method: 'GET', url: '/status/%E0%A4%A' })
  assert.equal(bad.statusCode, 400, bad.body)
  const badBody = bad.json<ErrorBody>()
  assertShape(badBody, 400, 'Bad Request', 'BAD_URL')
  assert.match(badBody.message, /^URL inválida: /)

  const param = await app.inject({ method: 'GET', url: `/status/${'a'.repeat(101)}` })
  assert.equal(param.statusCode, 414, param.body)
  const paramBody = param.json<ErrorBody>()
  assertShape(paramBody, 414, 'URI Too Long', 'URI_TOO_LONG')
  assert.equal(
    paramBody.message,
    'Um parâmetro do caminho passa do máximo aceito de 100 caracteres'
  )
})

test('a URL past 8192 characters is 414 URI_TOO_LONG, on any path', async (t) => {
  const app = await bareApp(t)
  const atBound = `/health?q=${'x'.repeat(8192 - '/health?q='.length)}`
  assert.equal(atBound.length, 8192)
  assert.equal((await app.inject({ method: 'GET', url: atBound })).statusCode, 200)
  for (const url of [`${atBound}x`, `/nada?q=${'x'.repeat(9000)}`]) {
    const response = await app.inject({ method: 'GET', url })
    assert.equal(response.statusCode, 414, response.body)
    const body = response.json<ErrorBody>()
    assertShape(body, 414, 'URI Too Long', 'URI_TOO_LONG')
    assert.equal(body.message, `A URL tem ${url.length} caracteres; o máximo aceito é 8192`)
  }
})

test('over a real socket: 414 and 431 with a JSON body; a non-HTTP request 400', async (t) => {
  const app = await bareApp(t)
  app.get('/', async () => ({ name: 'test' }))
  const port = await listenOnFreePort(t, app)
  await assertOversizeAnswers(port, '/')

  const garbage = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n')
  assert.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/)
  const json = garbage.slice(garbage.indexOf('\r\n\r\n') + 4)
  const body = JSON.parse(json) as ErrorBody
  assertShape(body, 400, 'Bad Request', 'BAD_REQUEST')
  assert.equal(body.message, 'Requisição HTTP malformada')
  const length = /Content-Length: (\d+)/.exec(garbage)?.[1]
  assert.equal(Number(length), Buffer.byteLength(json), 'Content-Length counts bytes, not chars')
})

function capturedLog() {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
      done()
    }
  })
  return { lines, logger: pino(stream) }
}

test('the error handler: 400 naming the field, 500 without details, in Portuguese', async (t) => {
  const { lines, logger } = capturedLog()
  const app = Fastify({ loggerInstance: logger })
  t.after(() => app.close())
  app.setErrorHandler(createErrorHandler('processor'))
  app.get(
    '/recent',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } },
          additionalProperties: false
        }
      }
    },
    async () => []
  )
  app.get('/boom', async () => {
    throw new Error('connection string postgres://secret@db')
  })
  app.get('/teapot', async () => {
    throw Object.assign(new Error('unsupported'), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
    })
  })

  for (const [url, message] of [
    ['/recent?limit=0', 'querystring.limit deve ser no mínimo 1'],
    ['/recent?limit=500', 'querystring.limit deve ser no máximo 100'],
    ['/recent?limit=abc', 'querystring.limit deve ser um número inteiro']
  ] as const) {
    const response = await app.inject({ method: 'GET', url })
    assert.equal(response.statusCode, 400, url)
    const body = response.json<ErrorBody>()
    assertShape(body, 400, 'Bad Request', 'VALIDATION_ERROR')
    assert.equal(body.message, message)
  }

  const boom = await app.inject({ method: 'GET', url: '/boom' })
  assert.equal(boom.statusCode, 500)
  const boomBody = boom.json<ErrorBody>()
  assertShape(boomBody, 500, 'Internal Server Error', 'INTERNAL_ERROR')
  assert.equal(boomBody.message, 'Erro interno; os detalhes estão no log do processor')
  assert.doesNotMatch(boom.body, /secret/, 'no detail reaches the client')
  const logged = lines.find((line) => line.msg === 'request failed')
  assert.match(String((logged?.err as { message?: string })?.message), /secret/, 'it is logged')

  const teapot = await app.inject({ method: 'GET', url: '/teapot' })
  assert.equal(teapot.statusCode, 415)
  const teapotBody = teapot.json<ErrorBody>()
  assertShape(teapotBody, 415, 'Unsupported Media Type', 'UNSUPPORTED_MEDIA_TYPE')
  assert.equal(teapotBody.message, 'Tipo de conteúdo não suportado')
})
