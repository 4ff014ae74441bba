// The API-key plugin on a bare Fastify with the gateway's error, JSON-body, CORS and rate-limit
// plugins, registered in the gateway's order (no server): with keys, every route but the open
// ones answers 401 without X-API-Key and 403 with a wrong one, in the error shape and before the
// body is read, and works with any configured key; /, /health, /metrics, /docs and CORS
// preflights stay open; wrong keys count against the rate limit. Without keys nothing is asked.
// api-key.integration.test.ts checks the real gateway: nothing published, the OpenAPI scheme.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import { httpErrors, httpServerOptions } from '@streaming/runtime'
import Fastify from 'fastify'
import { listOf, loadGatewayConfig } from '../../src/config.ts'
import apiKey from '../../src/plugins/api-key.ts'
import cors from '../../src/plugins/cors.ts'
import errors from '../../src/plugins/errors.ts'
import jsonBody from '../../src/plugins/json-body.ts'
import rateLimit from '../../src/plugins/rate-limit.ts'
import {
  assertKeysRefused,
  assertPreflightNeedsNoKey,
  KEYS,
  type ErrorBody
} from './api-key.checks.ts'

const apiKeys = { API_KEYS: KEYS.join(',') }

/** A bare app with the plugins the key check runs among, and a route of each kind. */
async function appWithKeys(t: TestContext, env: Record<string, string> = apiKeys) {
  const config = loadGatewayConfig(env)
  const app = Fastify({ ...httpServerOptions })
  t.after(() => app.close())
  await app.register(errors)
  await app.register(httpErrors)
  await app.register(jsonBody)
  await app.register(cors, { origins: listOf(config.CORS_ORIGINS) })
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_MAX,
    windowMs: config.RATE_LIMIT_WINDOW_MS
  })
  await app.register(apiKey, { keys: listOf(config.API_KEYS) })
  const handled: string[] = []
  const ok = async (request: { method: string; url: string }) => {
    handled.push(`${request.method} ${request.url}`)
    return { ok: true }
  }
  app.post('/usuarios', ok)
  app.get('/historico-visualizacao/:user_id', ok)
  app.put('/sessoes/:id/atividade', ok)
  app.delete('/sessoes/:id', ok)
  app.get('/status/:id', ok)
  app.delete('/status/:id', ok)
  for (const url of ['/', '/health', '/metrics', '/docs', '/docs/', '/docs/json', '/docs/*']) {
    app.get(url, ok)
  }
  await app.ready()
  return { app, handled }
}

test('API_KEYS: comma-separated keys of 16+ characters, never echoed when wrong', () => {
  assert.equal(loadGatewayConfig({}).API_KEYS, '', 'off by default')
  assert.equal(loadGatewayConfig(apiKeys).API_KEYS, KEYS.join(','))
  for (const wrong of ['short-key', `${KEYS[0]}, ${KEYS[1]}`, `${KEYS[0]},,${KEYS[1]}`]) {
    assert.throws(
      () => loadGatewayConfig({ API_KEYS: wrong }),
      (err: Error) => /API_KEYS/.test(err.message) && !err.message.includes(wrong.slice(0, 9)),
      wrong
    )
  }
})

test('keys on: 401 without X-API-Key, 403 with a wrong one, the route never run; any key works', async (t) => {
  const { app, handled } = await appWithKeys(t)
  // Every kind of route refuses a missing or wrong key, before reading the body.
  await assertKeysRefused(app, [
    ['POST', '/usuarios'],
    ['GET', '/historico-visualizacao/1'],
    ['PUT', `/sessoes/${randomUUID()}/atividade`],
    ['DELETE', `/sessoes/${randomUUID()}`],
    ['GET', `/status/${randomUUID()}`],
    ['DELETE', `/status/${randomUUID()}`]
  ] as const)
  assert.deepEqual(handled, [], 'no refused request reaches its route')

  // Either configured key is accepted.
  for (const key of KEYS) {
    const accepted = await app.inject({
      method: 'POST',
      url: '/usuarios',
      headers: { 'x-api-key': key }
    })
    assert.equal(accepted.statusCode, 200, accepted.body)
    const status = await app.inject({
      method: 'GET',
      url: `/status/${randomUUID()}`,
      headers: { 'x-api-key': key }
    })
    assert.equal(status.statusCode, 200, status.body)
  }
  assert.equal(handled.length, 2 * KEYS.length)
})

test('keys on: /, /health, /metrics and /docs need no key; CORS preflights neither', async (t) => {
  const { app } = await appWithKeys(t)
  for (const url of ['/', '/health', '/metrics', '/docs', '/docs/', '/docs/json', '/docs/x.css']) {
    const response = await app.inject({ method: 'GET', url })
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
  }
  await assertPreflightNeedsNoKey(app)
})

test('keys off (the default): no key asked for', async (t) => {
  const { app } = await appWithKeys(t, {})
  for (const [method, url] of [
    ['POST', '/usuarios'],
    ['GET', `/status/${randomUUID()}`]
  ] as const) {
    const response = await app.inject({ method, url })
    assert.equal(response.statusCode, 200, `${method} ${url}: ${response.body}`)
  }
})

test('wrong keys count against the rate limit, so guessing is limited', async (t) => {
  const { app } = await appWithKeys(t, {
    ...apiKeys,
    RATE_LIMIT_MAX: '3',
    RATE_LIMIT_WINDOW_MS: '60000'
  })
  const guess = (key: string) =>
    app.inject({ method: 'GET', url: `/status/${randomUUID()}`, headers: { 'x-api-key': key } })
  for (let i = 0; i < 3; i++) {
    assert.equal((await guess(`guess-number-${i}-000000`)).statusCode, 403)
  }
  const limited = await guess('guess-number-3-000000')
  assert.equal(limited.statusCode, 429)
  assert.equal(limited.json<ErrorBody>().code, 'RATE_LIMITED')
  assert.equal((await guess(KEYS[0]!)).statusCode, 429, 'the limit holds even for a right key')
})
