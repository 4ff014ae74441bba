// Helmet's headers from the security-headers plugin on a bare Fastify with the gateway's error
// plugins (no server): on answers, errors and unknown routes alike, a Content-Security-Policy
// with no unsafe source, and no HSTS on plain HTTP. security-headers.integration.test.ts checks
// the real gateway and Swagger UI under that policy in a browser.
import { test } from 'node:test'
import { httpErrors, httpServerOptions } from '@streaming/runtime'
import Fastify from 'fastify'
import { HttpError } from '../../src/errors.ts'
import errors from '../../src/plugins/errors.ts'
import securityHeaders from '../../src/plugins/security-headers.ts'
import { assertProtectiveHeaders } from './security-headers.checks.ts'

test('every answer carries the protective headers and the CSP', async (t) => {
  const app = Fastify({ ...httpServerOptions })
  t.after(() => app.close())
  await app.register(errors)
  await app.register(httpErrors)
  await app.register(securityHeaders)
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/docs/', async (_request, reply) => reply.type('text/html').send('<html></html>'))
  app.post('/usuarios', async () => {
    throw new HttpError('VALIDATION_ERROR', 'user_id inválido')
  })

  for (const [method, url] of [
    ['GET', '/health'],
    ['GET', '/docs/'],
    ['POST', '/usuarios'],
    ['GET', '/no-such-route'],
    ['DELETE', '/health']
  ] as const) {
    const { headers, statusCode } = await app.inject({ method, url })
    const what = `${method} ${url} (${statusCode})`
    assertProtectiveHeaders(headers, what)
  }
})
