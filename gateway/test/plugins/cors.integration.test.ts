// CORS on the real gateway (Kafka and Redis of the native stack): by default only the dashboard's
// origins may read answers from a browser; CORS_ORIGINS changes the list. The plugin itself, with
// `*` and malformed entries, is tested on a bare Fastify in cors.test.ts.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadGatewayConfig } from '../../src/config.ts'
import { startPlatform } from '../../../test/helpers/platform.ts'

const DASHBOARD_ORIGINS = ['http://127.0.0.1:8089', 'http://localhost:8089']

test(
  'by default the dashboard origins are allowed and no other',
  { timeout: 60_000 },
  async (t) => {
    assert.equal(loadGatewayConfig({}).CORS_ORIGINS, DASHBOARD_ORIGINS.join(','))
    const { app } = await startPlatform(t, { processors: 0 })

    for (const origin of DASHBOARD_ORIGINS) {
      const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin } })
      assert.equal(simple.headers['access-control-allow-origin'], origin, origin)
      assert.match(String(simple.headers.vary), /Origin/)

      const accepted = await app.inject({ method: 'POST', url: '/usuarios', headers: { origin } })
      assert.equal(accepted.statusCode, 202)
      assert.equal(accepted.headers['access-control-allow-origin'], origin)
      // A browser page may read where the status is and when to ask again.
      assert.match(String(accepted.headers['access-control-expose-headers']), /Location/)
      assert.match(String(accepted.headers['access-control-expose-headers']), /Retry-After/)

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
      assert.match(String(preflight.headers['access-control-allow-methods']), /DELETE/)
      assert.match(String(preflight.headers['access-control-allow-headers']), /X-API-Key/i)
      assert.match(String(preflight.headers['access-control-allow-headers']), /Idempotency-Key/i)
    }

    for (const origin of [
      'http://evil.example',
      'http://127.0.0.1:8000',
      'https://localhost:8089'
    ]) {
      const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin } })
      assert.equal(simple.headers['access-control-allow-origin'], undefined, origin)
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/usuarios',
        headers: { origin, 'access-control-request-method': 'POST' }
      })
      assert.equal(
        preflight.headers['access-control-allow-origin'],
        undefined,
        `${origin} preflight`
      )
    }
  }
)

test('CORS_ORIGINS replaces the list', { timeout: 60_000 }, async (t) => {
  const { app } = await startPlatform(t, {
    processors: 0,
    gatewayEnv: { CORS_ORIGINS: 'https://app.example:3000, http://10.0.0.5:8089' }
  })
  const allowOrigin = async (origin: string) =>
    (await app.inject({ method: 'GET', url: '/health', headers: { origin } })).headers[
      'access-control-allow-origin'
    ]
  assert.equal(await allowOrigin('https://app.example:3000'), 'https://app.example:3000')
  assert.equal(await allowOrigin('http://10.0.0.5:8089'), 'http://10.0.0.5:8089')
  assert.equal(await allowOrigin('http://127.0.0.1:8089'), undefined, 'the default is replaced')
})
