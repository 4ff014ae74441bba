// What the API-key tests assert on a bare Fastify (api-key.test.ts) and on the real gateway
// (api-key.integration.test.ts) alike.
import assert from 'node:assert/strict'
import type { ErrorBody } from '@streaming/runtime'
import type { FastifyInstance } from 'fastify'

export type { ErrorBody }

export const KEYS = ['local-key-0123456789abcdef', 'second-key-fedcba9876543210']

/** Requests without a valid key: missing, empty, unknown, one character off, a prefix, a list. */
const refused = [
  { headers: {}, status: 401, code: 'API_KEY_REQUIRED' },
  { headers: { 'x-api-key': '' }, status: 401, code: 'API_KEY_REQUIRED' },
  { headers: { 'x-api-key': 'not-a-key-at-all-0000' }, status: 403, code: 'API_KEY_INVALID' },
  { headers: { 'x-api-key': `${KEYS[0]!.slice(0, -1)}X` }, status: 403, code: 'API_KEY_INVALID' },
  { headers: { 'x-api-key': KEYS[0]!.slice(0, 16) }, status: 403, code: 'API_KEY_INVALID' },
  { headers: { 'x-api-key': KEYS.join(',') }, status: 403, code: 'API_KEY_INVALID' }
]

/**
 * Each of `routes` refuses each request without a valid key with 401 or 403 and an error body
 * naming X-API-Key; the key is checked before the body is read (a malformed body without a key
 * is a 401).
 */
export async function assertKeysRefused(
  app: FastifyInstance,
  routes: ReadonlyArray<readonly ['GET' | 'POST' | 'PUT' | 'DELETE', string]>
): Promise<void> {
  for (const { headers, status, code } of refused) {
    for (const [method, url] of routes) {
      const response = await app.inject({ method, url, headers })
      const what = `${method} ${url} with ${JSON.stringify(headers)}`
      assert.equal(response.statusCode, status, `${what}: ${response.body}`)
      const body = response.json<ErrorBody>()
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'])
      assert.equal(body.code, code, what)
      assert.equal(body.statusCode, status, what)
      assert.match(body.message, /X-API-Key/, what)
    }
  }
  const unread = await app.inject({
    method: 'POST',
    url: '/usuarios',
    headers: { 'content-type': 'application/json' },
    payload: '{"nome": '
  })
  assert.equal(unread.statusCode, 401, unread.body)
}

/** A CORS preflight passes without a key (a browser sends no custom header on one). */
export async function assertPreflightNeedsNoKey(app: FastifyInstance): Promise<void> {
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/usuarios',
    headers: {
      origin: 'http://127.0.0.1:8089',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-api-key'
    }
  })
  assert.equal(preflight.statusCode, 204, preflight.body)
  assert.match(String(preflight.headers['access-control-allow-headers']), /X-API-Key/i)
}
