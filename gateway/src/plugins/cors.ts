import cors from '@fastify/cors'
import fp from 'fastify-plugin'

export interface CorsOptions {
  /** Origins a browser may call the API from; `*` allows any. */
  origins: string[]
}

/** A list entry that is not exactly an origin would never match: refuse it at start-up. */
function checkOrigin(origin: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(origin)
  } catch {}
  if (parsed?.origin !== origin) {
    throw new Error(
      `CORS_ORIGINS: '${origin}' is not an origin (scheme://host[:port], no path or trailing slash)`
    )
  }
}

/**
 * Cross-origin browser calls from the listed origins only (by default the dashboard's). Other
 * origins get no Access-Control-Allow-Origin, so their pages cannot read the answers.
 */
export default fp<CorsOptions>(
  async (app, { origins }) => {
    const any = origins.includes('*')
    if (!any) origins.forEach(checkOrigin)
    await app.register(cors, {
      origin: any ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Content-Type', 'X-API-Key', 'Idempotency-Key'],
      // What a browser client needs to read from a 202, a 429 or a 503.
      exposedHeaders: [
        'Location',
        'Retry-After',
        'Idempotent-Replayed',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset'
      ],
      maxAge: 600
    })
  },
  { name: 'cors' }
)
