import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'
import fp from 'fastify-plugin'

/**
 * The one inline style Swagger UI renders: the `<style>` inside its top-bar logo (an inline SVG).
 * Allowed by its hash alone; the Swagger UI browser test fails if an upgrade changes it.
 */
const SWAGGER_LOGO_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"

/** Helmet's headers for these options, worked out once: they are the same for every answer. */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name] = String(value)
    },
    removeHeader: () => {}
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}

/**
 * Helmet's protective headers on every answer, with a Content-Security-Policy strict enough for
 * an API and still sufficient for Swagger UI at /docs, whose page loads only its own scripts and
 * styles from /docs/static (no inline script, no CDN, no eval). The headers are computed once at
 * start-up; @fastify/helmet would build Helmet's middleware again for every request.
 */
export default fp(
  async (app) => {
    const headers = helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'base-uri': ["'self'"],
          'connect-src': ["'self'"],
          'font-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'img-src': ["'self'", 'data:'],
          'object-src': ["'none'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'", SWAGGER_LOGO_STYLE]
        }
      },
      // The gateway speaks plain HTTP; HSTS belongs to whatever terminates TLS in front of it
      // (and on localhost it would pin every local port to HTTPS).
      strictTransportSecurity: false
    })
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
  },
  { name: 'security-headers' }
)
