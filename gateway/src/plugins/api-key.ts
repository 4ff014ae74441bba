import { createHash, timingSafeEqual } from 'node:crypto'
import type { onRequestHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.ts'
import { isOpenRoute } from '../open-routes.ts'

export const API_KEY_HEADER = 'x-api-key'

export interface ApiKeyOptions {
  /** The accepted keys; none turns the check off. */
  keys: string[]
}

// Digests have one length whatever the key's, so timingSafeEqual applies and the comparison
// time says nothing about how long a key is or how much of it matched.
const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * When keys are configured, every route but the open ones (see open-routes.ts) needs one of
 * them in `X-API-Key`: 401 without it, 403 with a wrong one, before the body is even read.
 * CORS preflights (OPTIONS) never carry the header, so they stay open.
 */
export default fp<ApiKeyOptions>(
  async (app, { keys }) => {
    if (keys.length === 0) return
    const accepted = keys.map(digest)

    const isAccepted = (candidate: string) => {
      const given = digest(candidate)
      let found = false
      // Every key is compared, so the time taken does not tell which one matched.
      for (const key of accepted) found = timingSafeEqual(key, given) || found
      return found
    }

    const requireApiKey: onRequestHookHandler = async (request) => {
      const header = request.headers[API_KEY_HEADER]
      if (header === undefined || header === '') {
        throw new HttpError(
          'API_KEY_REQUIRED',
          'Esta rota exige uma chave de API: envie-a no cabeçalho X-API-Key'
        )
      }
      if (typeof header !== 'string' || !isAccepted(header)) {
        throw new HttpError(
          'API_KEY_INVALID',
          'O cabeçalho X-API-Key não contém uma chave de API válida'
        )
      }
    }

    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      if (isOpenRoute(route.url) || methods.every((method) => method === 'OPTIONS')) return
      // Appended, so it runs after the route's own onRequest hooks (the rate limit's among them).
      const existing = route.onRequest
      route.onRequest = [
        ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]),
        requireApiKey
      ]
    })
  },
  { name: 'api-key', dependencies: ['errors'] }
)
