// What the security-headers tests assert on a bare Fastify (security-headers.test.ts) and on the
// real gateway (security-headers.integration.test.ts) alike.
import assert from 'node:assert/strict'
import type { OutgoingHttpHeaders } from 'node:http'

/** Helmet's headers on one answer: a CSP with no unsafe source, and no HSTS on plain HTTP. */
export function assertProtectiveHeaders(headers: OutgoingHttpHeaders, what: string): void {
  const csp = String(headers['content-security-policy'])
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'"
  ]) {
    assert.ok(csp.split(';').includes(directive), `${what}: ${directive} in ${csp}`)
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what)
  assert.equal(headers['x-content-type-options'], 'nosniff', what)
  assert.equal(headers['x-frame-options'], 'SAMEORIGIN', what)
  assert.equal(headers['referrer-policy'], 'no-referrer', what)
  assert.equal(headers['cross-origin-opener-policy'], 'same-origin', what)
  assert.equal(headers['strict-transport-security'], undefined, `${what}: no HSTS on plain HTTP`)
  assert.equal(headers['x-powered-by'], undefined, what)
}
