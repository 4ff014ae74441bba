import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.ts'
import { isOpenRoute } from '../open-routes.ts'

export interface RateLimitOptions {
  /** Requests one client IP may make per window; 0 turns the limit off. */
  max: number
  windowMs: number
}

/**
 * At most `max` requests per client IP per window on the API routes, in this process's memory
 * (each replica counts its own). Past it: 429 with `Retry-After`, in the gateway's error shape.
 * Registered before the routes (it hooks each route as it is added) and before the API-key
 * check, so guessing keys is limited too.
 */
export default fp<RateLimitOptions>(
  async (app, { max, windowMs }) => {
    if (max === 0) return
    await app.register(rateLimit, {
      max,
      timeWindow: windowMs,
      allowList: (request) => isOpenRoute(request.routeOptions.url),
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          'RATE_LIMITED',
          `Requisições demais: no máximo ${context.max} a cada ${windowMs / 1000} s por endereço; tente de novo em ${Math.max(1, Math.ceil(context.ttl / 1000))} s`,
          { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }
        )
    })
  },
  { name: 'rate-limit', dependencies: ['errors'] }
)
