// The CORS plugin on a bare Fastify (no server): by default only the dashboard's origins may read
// answers from a browser, with the headers a client needs exposed and the gateway's methods and
// headers allowed on preflights; another list replaces them; `*` allows any origin; a malformed
// entry stops the start. cors.integration.test.ts checks the same on the real gateway.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import Fastify from 'fastify'
import { listOf, loadGatewayConfig } from '../../src/config.ts'
import cors from '../../src/plugins/cors.ts'

const DASHBOARD_ORIGINS = ['http://127.0.0.1:8089', 'http://localhost:8089']

async function appWithCors(t: TestContext, origins: string[]) {
  const app = Fastify()
  t.after(() => app.close())
  await app.register(cors, { origins })
  app.get('/health', async () => ({ status: 'ok' }))
  app.post('/usuarios', async (_request, reply) =>
    reply.code(202).header('location', '/status/x').send({})
  )
  app.delete('/sessoes/:id', async () => ({}))
  return app
}

test('by default the dashboard origins are allowed and no other', async (t) => {
  const defaults = listOf(loadGatewayConfig({}).CORS_ORIGINS)
  assert.deepEqual(defaults, DASHBOARD_ORIGINS)
  const app = await appWithCors(t, defaults)

  for (const origin of DASHBOARD_ORIGINS) {
    const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin } })
    assert.equal(simple.headers['access-control-allow-origin'], origin, origin)
    assert.match(String(simple.headers.vary), /Origin/)

    const accepted = await app.inject({ method: 'POST', url: '/usuarios', headers: { origin } })
    assert.equal(accepted.statusCode, 202)
    assert.equal(accepted.headers['access-control-allow-origin'], origin)
    // A browser page may read where the status is, when to ask again, and the limit's state.
    const exposed = String(accepted.headers['access-control-expose-headers'])
    for (const header of [
      'Location',
      'Retry-After',
      'Idempotent-Replayed',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset'
    ]) {
      assert.match(exposed, new RegExp(header), `${header} exposed`)
    }

    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/sessoes/00000000-0000-4000-8000-000000000000',
      headers: {
        origin,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'content-type,x-api-key,idempotency-key'
      }
    })
    assert.equal(preflight.statusCode, 204)
    assert.equal(preflight.headers['access-control-allow-origin'], origin)
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']) {
      assert.match(String(preflight.headers['access-control-allow-methods']), new RegExp(method))
    }
    assert.match(String(preflight.headers['access-control-allow-headers']), /Content-Type/i)
    assert.match(String(preflight.headers['access-control-allow-headers']), /X-API-Key/i)
    assert.match(String(preflight.headers['access-control-allow-headers']), /Idempotency-Key/i)
    assert.equal(preflight.headers['access-control-max-age'], '600')
  }

  for (const origin of ['http://evil.example', 'http://127.0.0.1:8000', 'https://localhost:8089']) {
    const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin } })
    assert.equal(simple.headers['access-control-allow-origin'], undefined, origin)
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/usuarios',
      headers: { origin, 'access-control-request-method': 'POST' }
    })
    assert.equal(preflight.headers['access-control-allow-origin'], undefined, `${origin} preflight`)
  }
})

test('CORS_ORIGINS replaces the list; * allows any origin', async (t) => {
  const origins = listOf(
    loadGatewayConfig({ CORS_ORIGINS: 'https://app.example:3000, http://10.0.0.5:8089' })
      .CORS_ORIGINS
  )
  const app = await appWithCors(t, origins)
  const allowOrigin = async (origin: string) =>
    (await app.inject({ method: 'GET', url: '/health', headers: { origin } })).headers[
      'access-control-allow-origin'
    ]
  assert.equal(await allowOrigin('https://app.example:3000'), 'https://app.example:3000')
  assert.equal(await allowOrigin('http://10.0.0.5:8089'), 'http://10.0.0.5:8089')
  assert.equal(await allowOrigin('http://127.0.0.1:8089'), undefined, 'the default is replaced')

  const any = await appWithCors(t, ['*'])
  const response = await any.inject({
    url: '/health',
    headers: { origin: 'http://anywhere.example' }
  })
  assert.equal(response.headers['access-control-allow-origin'], '*')
})

test('an entry that is not an origin stops the start, naming CORS_ORIGINS', async (t) => {
  for (const wrong of ['http://localhost:8089/', 'localhost:8089', 'http://host/path']) {
    const app = Fastify()
    t.after(() => app.close())
    await assert.rejects(
      async () => {
        await app.register(cors, { origins: ['http://127.0.0.1:8089', wrong] })
        await app.ready()
      },
      new RegExp(`CORS_ORIGINS: '${wrong.replace(/[/.]/g, '\\$&')}' is not an origin`),
      wrong
    )
  }
})
