// API keys on the real gateway (Kafka and Redis of the native stack): with API_KEYS set, the
// operation and status routes answer 401 without X-API-Key and 403 with a wrong one, publish
// nothing then, and work with any configured key; /, /health, /metrics and /docs stay open; the
// OpenAPI document declares the scheme. Without API_KEYS nothing asks for a key. The plugin and
// API_KEYS itself are tested on a bare Fastify in api-key.test.ts.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { accept } from '../../../test/helpers/http.ts'
import { topicSize } from '../../../test/helpers/kafka.ts'
import { startPlatform } from '../../../test/helpers/platform.ts'
import {
  assertKeysRefused,
  assertPreflightNeedsNoKey,
  KEYS,
  type ErrorBody
} from './api-key.checks.ts'

const apiKeys = { API_KEYS: KEYS.join(',') }

interface OpenApiDocument {
  components?: { securitySchemes?: Record<string, Record<string, string>> }
  paths: Record<
    string,
    Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
  >
}

test(
  'keys on: 401 without X-API-Key, 403 with a wrong one, nothing published; any key works',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics } = await startPlatform(t, { processors: 0, gatewayEnv: apiKeys })
    const before = await topicSize(kafka, topics.requests)

    // Every kind of route refuses a missing or wrong key, before reading the body.
    await assertKeysRefused(app, [
      ['POST', '/usuarios'],
      ['POST', '/sessoes?user_id=1'],
      ['GET', '/historico-visualizacao/1'],
      ['PUT', `/sessoes/${randomUUID()}/atividade`],
      ['DELETE', `/sessoes/${randomUUID()}`],
      ['GET', `/status/${randomUUID()}`],
      ['DELETE', `/status/${randomUUID()}`]
    ] as const)
    assert.equal(
      await topicSize(kafka, topics.requests),
      before,
      'a refused request publishes nothing'
    )

    // Either configured key is accepted, on operations and on their status.
    for (const key of KEYS) {
      const accepted = await accept(app, 'POST', '/usuarios', {}, { 'x-api-key': key })
      const status = await app.inject({
        method: 'GET',
        url: accepted.status_url,
        headers: { 'x-api-key': key }
      })
      assert.equal(status.statusCode, 200, status.body)
      assert.equal(status.json<{ status: string }>().status, 'pending')
    }
    assert.equal(await topicSize(kafka, topics.requests), before + KEYS.length)
  }
)

test(
  'keys on: /, /health, /metrics, /docs and /docs/json need no key; CORS preflights neither',
  { timeout: 60_000 },
  async (t) => {
    const { app } = await startPlatform(t, { processors: 0, gatewayEnv: apiKeys })
    for (const url of ['/', '/health', '/metrics', '/docs', '/docs/', '/docs/json']) {
      const response = await app.inject({ method: 'GET', url })
      assert.ok(response.statusCode < 400, `${url}: ${response.statusCode} ${response.body}`)
    }
    const swaggerAsset = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' })
    assert.equal(swaggerAsset.statusCode, 200, 'Swagger UI assets are open')

    await assertPreflightNeedsNoKey(app)
  }
)

test(
  'keys on: the OpenAPI document declares the X-API-Key scheme on the routes that need it',
  { timeout: 60_000 },
  async (t) => {
    const { app } = await startPlatform(t, { processors: 0, gatewayEnv: apiKeys })
    const document = (
      await app.inject({ method: 'GET', url: '/docs/json' })
    ).json<OpenApiDocument>()
    assert.deepEqual(document.components?.securitySchemes?.apiKey, {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description: 'One of the keys in the gateway’s API_KEYS'
    })
    const secured = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({ path, method, operation }))
    )
    for (const { path, method, operation } of secured) {
      const open = ['/', '/health', '/metrics'].includes(path)
      const name = `${method.toUpperCase()} ${path}`
      if (open) {
        assert.equal(operation.security, undefined, `${name} needs no key`)
      } else {
        assert.deepEqual(operation.security, [{ apiKey: [] }], `${name} needs a key`)
        assert.ok(operation.responses['401'] && operation.responses['403'], `${name}: 401, 403`)
      }
    }
    assert.ok(
      secured.some(({ path }) => path === '/status/{correlation_id}'),
      'status listed'
    )
    assert.ok(secured.length >= 18, `${secured.length} operations`)
  }
)

test('keys off (the default): no key asked for, none declared', { timeout: 60_000 }, async (t) => {
  const { app } = await startPlatform(t, { processors: 0 })
  await accept(app, 'POST', '/usuarios', {})
  const status = await app.inject({ method: 'GET', url: `/status/${randomUUID()}` })
  assert.equal(status.statusCode, 404, 'answered, not refused')
  const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>()
  assert.equal(document.components?.securitySchemes, undefined)
  assert.equal(document.paths['/usuarios']?.post?.security, undefined)
})

test(
  'wrong keys count against the rate limit, so guessing is limited',
  { timeout: 60_000 },
  async (t) => {
    const { app } = await startPlatform(t, {
      processors: 0,
      gatewayEnv: { ...apiKeys, RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' }
    })
    const guess = (key: string) =>
      app.inject({ method: 'GET', url: `/status/${randomUUID()}`, headers: { 'x-api-key': key } })
    for (let i = 0; i < 3; i++)
      assert.equal((await guess(`guess-number-${i}-000000`)).statusCode, 403)
    const limited = await guess('guess-number-3-000000')
    assert.equal(limited.statusCode, 429)
    assert.equal(limited.json<ErrorBody>().code, 'RATE_LIMITED')
    assert.equal((await guess(KEYS[0]!)).statusCode, 429, 'the limit holds even for a right key')
  }
)
