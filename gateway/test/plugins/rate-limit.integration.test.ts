// The rate limit on the real gateway (Kafka and Redis of the native stack): a 429 in the error
// shape with Retry-After past the limit, nothing published for it, open routes never limited,
// counted per client address and per window, and off with RATE_LIMIT_MAX=0. The plugin and its
// settings are tested on a bare Fastify in rate-limit.test.ts.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { loadGatewayConfig } from '../../src/config.ts'
import { topicSize } from '../../../test/helpers/kafka.ts'
import { startPlatform } from '../../../test/helpers/platform.ts'

const unknownStatus = () => `/status/${randomUUID()}`

test(
  'past RATE_LIMIT_MAX: 429 RATE_LIMITED with Retry-After, nothing published; open routes stay open',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics } = await startPlatform(t, {
      processors: 0,
      gatewayEnv: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' }
    })
    for (let i = 0; i < 3; i++) {
      const allowed = await app.inject({ method: 'POST', url: '/usuarios' })
      assert.equal(allowed.statusCode, 202, allowed.body)
      assert.equal(allowed.headers['x-ratelimit-limit'], '3')
      assert.equal(allowed.headers['x-ratelimit-remaining'], String(2 - i))
    }
    const published = await topicSize(kafka, topics.requests)
    assert.equal(published, 3)

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
    assert.equal(await topicSize(kafka, topics.requests), published, 'a 429 publishes nothing')

    // The status routes share the client's budget.
    const status = await app.inject({ method: 'GET', url: unknownStatus() })
    assert.equal(status.statusCode, 429)

    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    }>()
    assert.ok(document.paths['/usuarios']?.post?.responses['429'], 'the 429 is documented')
    assert.equal(document.paths['/health']?.get?.responses['429'], undefined, 'not on /health')

    // Probes, metrics and docs answer however many times they are called.
    for (let i = 0; i < 5; i++) {
      for (const url of ['/', '/health', '/metrics', '/docs/json', '/docs']) {
        const open = await app.inject({ method: 'GET', url })
        assert.ok(open.statusCode < 400, `${url}: ${open.statusCode}`)
        assert.equal(open.headers['x-ratelimit-limit'], undefined, `${url} is not counted`)
      }
    }
  }
)

test('the limit is per client address and per window', { timeout: 60_000 }, async (t) => {
  const { app } = await startPlatform(t, {
    processors: 0,
    gatewayEnv: { RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '1000' }
  })
  const from = (remoteAddress: string) =>
    app.inject({ method: 'GET', url: unknownStatus(), remoteAddress })

  assert.equal((await from('10.0.0.1')).statusCode, 404)
  assert.equal((await from('10.0.0.1')).statusCode, 404)
  assert.equal((await from('10.0.0.1')).statusCode, 429, 'the third in the window')
  assert.equal((await from('10.0.0.2')).statusCode, 404, 'another address has its own budget')

  await new Promise((resolve) => setTimeout(resolve, 1_200))
  assert.equal((await from('10.0.0.1')).statusCode, 404, 'a new window, a new budget')
})

test('RATE_LIMIT_MAX=0 turns the limit off', { timeout: 120_000 }, async (t) => {
  const { app } = await startPlatform(t, {
    processors: 0,
    gatewayEnv: { RATE_LIMIT_MAX: '0', RATE_LIMIT_WINDOW_MS: '60000' }
  })
  // More than the default limit, from one address within one window.
  const requests = loadGatewayConfig({}).RATE_LIMIT_MAX + 100
  const codes = new Map<number, number>()
  for (let i = 0; i < requests; i++) {
    const response = await app.inject({ method: 'GET', url: unknownStatus() })
    codes.set(response.statusCode, (codes.get(response.statusCode) ?? 0) + 1)
    if (i === 0) assert.equal(response.headers['x-ratelimit-limit'], undefined, 'no limit headers')
  }
  assert.deepEqual([...codes], [[404, requests]])

  const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
  }>()
  assert.equal(document.paths['/usuarios']?.post?.responses['429'], undefined, 'no 429 documented')
})
