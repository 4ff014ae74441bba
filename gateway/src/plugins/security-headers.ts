import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'

/**
 * Helmet's protective headers on every answer, with a Content-Security-Policy strict enough for
 * an API and still sufficient for Swagger UI at /docs, whose page loads only its own scripts and
 * styles from /docs/static (no inline script, no CDN).
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
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
          'style-src': ["'self'"]
        }
      },
      // The gateway speaks plain HTTP; HSTS belongs to whatever terminates TLS in front of it
      // (and on localhost it would pin every local port to HTTPS).
      strictTransportSecurity: false
    })
  },
  { name: 'security-headers' }
)
