// The rate-limit plugin on a bare Fastify with the gateway's error plugin (no server): past the
// limit a 429 in the error shape with Retry-After and the route never run, open routes never
// counted, the count per client address and per window, and off with RATE_LIMIT_MAX=0.
// rate-limit.integration.test.ts checks the real gateway: nothing published, the OpenAPI 429.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import Fastify from 'fastify'
import { loadGatewayConfig } from '../../src/config.ts'
import errors from '../../src/plugins/errors.ts'
import rateLimit from '../../src/plugins/rate-limit.ts'

const unknownStatus = () => `/status/${randomUUID()}`

async function limitedApp(t: TestContext, env: Record<string, string>) {
  const config = loadGatewayConfig(env)
  const app = Fastify()
  t.after(() => app.close())
  await app.register(errors)
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_MAX,
    windowMs: config.RATE_LIMIT_WINDOW_MS
  })
  let handled = 0
  app.post('/usuarios', async (_request, reply) => {
    handled++
    return reply.code(202).send({})
  })
  app.get('/status/:id', async (_request, reply) => reply.code(404).send({}))
  for (const url of ['/', '/health', '/metrics', '/docs', '/docs/json']) {
    app.get(url, async () => ({ ok: true }))
  }
  await app.ready()
  return { app, handled: () => handled }
}

test('the default limit is generous and can be turned off', () => {
  const defaults = loadGatewayConfig({})
  assert.equal(defaults.RATE_LIMIT_MAX, 1_000)
  assert.equal(defaults.RATE_LIMIT_WINDOW_MS, 60_000)
  assert.equal(loadGatewayConfig({ RATE_LIMIT_MAX: '0' }).RATE_LIMIT_MAX, 0)
  assert.throws(() => loadGatewayConfig({ RATE_LIMIT_MAX: '-1' }), /RATE_LIMIT_MAX/)
  assert.throws(() => loadGatewayConfig({ RATE_LIMIT_WINDOW_MS: '0' }), /RATE_LIMIT_WINDOW_MS/)
})

test('past RATE_LIMIT_MAX: 429 RATE_LIMITED with Retry-After, the route not run; open routes stay open', async (t) => {
  const { app, handled } = await limitedApp(t, {
    RATE_LIMIT_MAX: '3',
    RATE_LIMIT_WINDOW_MS: '60000'
  })
  for (let i = 0; i < 3; i++) {
    const allowed = await app.inject({ method: 'POST', url: '/usuarios' })
    assert.equal(allowed.statusCode, 202, allowed.body)
    assert.equal(allowed.headers['x-ratelimit-limit'], '3')
    assert.equal(allowed.headers['x-ratelimit-remaining'], String(2 - i))
  }
  assert.equal(handled(), 3)

  const limited = await app.inject({ method: 'POST', url: '/usuarios', payload: {} })
  assert.equal(limited.statusCode, 429, limited.body)
  const retryAfter = Number(limited.headers['retry-after'])
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `${retryAfter}`)
  const body = limited.json<Record<string, unknown>>()
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'])
  assert.equal(body.statusCode, 429)
  assert.equal(body.code, 'RATE_LIMITED')
  assert.equal(body.error, 'Too Many Requests')
  assert.match(String(body.message), /no máximo 3 a cada 60 s/)
  assert.equal(handled(), 3, 'a 429 never reaches the route')

  // The status routes share the client's budget.
  const status = await app.inject({ method: 'GET', url: unknownStatus() })
  assert.equal(status.statusCode, 429)

  // Probes, metrics and docs answer however many times they are called.
  for (let i = 0; i < 5; i++) {
    for (const url of ['/', '/health', '/metrics', '/docs/json', '/docs']) {
      const open = await app.inject({ method: 'GET', url })
      assert.equal(open.statusCode, 200, `${url}: ${open.statusCode}`)
      assert.equal(open.headers['x-ratelimit-limit'], undefined, `${url} is not counted`)
    }
  }
})

test('the limit is per client address and per window', async (t) => {
  const { app } = await limitedApp(t, { RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '1000' })
  const from = (remoteAddress: string) =>
    app.inject({ method: 'GET', url: unknownStatus(), remoteAddress })

  assert.equal((await from('10.0.0.1')).statusCode, 404)
  assert.equal((await from('10.0.0.1')).statusCode, 404)
  assert.equal((await from('10.0.0.1')).statusCode, 429, 'the third in the window')
  assert.equal((await from('10.0.0.2')).statusCode, 404, 'another address has its own budget')

  await new Promise((resolve) => setTimeout(resolve, 1_200))
  assert.equal((await from('10.0.0.1')).statusCode, 404, 'a new window, a new budget')
})

test('RATE_LIMIT_MAX=0 turns the limit off', async (t) => {
  const { app } = await limitedApp(t, { RATE_LIMIT_MAX: '0', RATE_LIMIT_WINDOW_MS: '60000' })
  // More than the default limit, from one address within one window.
  const requests = loadGatewayConfig({}).RATE_LIMIT_MAX + 100
  const codes = new Map<number, number>()
  for (let i = 0; i < requests; i++) {
    const response = await app.inject({ method: 'GET', url: unknownStatus() })
    codes.set(response.statusCode, (codes.get(response.statusCode) ?? 0) + 1)
    if (i === 0) assert.equal(response.headers['x-ratelimit-limit'], undefined, 'no limit headers')
  }
  assert.deepEqual([...codes], [[404, requests]])
})
