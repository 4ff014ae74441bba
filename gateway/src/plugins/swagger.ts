import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { isOpenRoute } from '../open-routes.ts'
import { ErrorResponse } from '../schemas.ts'

export interface SwaggerOptions {
  version: string
  /** Whether routes need an X-API-Key (API_KEYS set): the document then declares the scheme. */
  apiKeys: boolean
  /** Whether the rate limit is on: the limited routes then document their 429. */
  rateLimited: boolean
}

const API_KEY_SCHEME = 'apiKey'

/** The OpenAPI 3 document, built from the routes' schemas (the contracts), and Swagger UI at /docs. */
export default fp<SwaggerOptions>(
  async (app, { version, apiKeys, rateLimited }) => {
    await app.register(swagger, {
      // Every route the key check and the rate limit cover says so: with keys on, Swagger UI
      // shows its lock and an Authorize button, and the 401 and 403 are documented.
      transform: ({ schema, url }) => {
        if (isOpenRoute(url) || !schema || (!apiKeys && !rateLimited)) return { schema, url }
        return {
          url,
          schema: {
            ...schema,
            ...(apiKeys ? { security: [{ [API_KEY_SCHEME]: [] }] } : {}),
            response: {
              ...(schema.response as Record<string, unknown> | undefined),
              ...(apiKeys ? { 401: ErrorResponse, 403: ErrorResponse } : {}),
              ...(rateLimited ? { 429: ErrorResponse } : {})
            }
          }
        }
      },
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Plataforma de Streaming — API gateway',
          version,
          description:
            'Every operation answers **202 Accepted** once Kafka acknowledged its request, with a `correlation_id` and `Location: /status/{correlation_id}`. Poll the status (or use `?wait=N`) to get the reply. Fields may come as query string or JSON body; omitted fields are generated with realistic Brazilian data.'
        },
        tags: [
          {
            name: 'usuarios (PostgreSQL)',
            description: 'users, subscriptions, payments, preferences'
          },
          { name: 'historico (MongoDB)', description: 'viewing history' },
          { name: 'recomendacoes (MongoDB)', description: 'recommendations' },
          { name: 'sessoes (Redis)', description: 'sessions' },
          { name: 'cache (Redis)', description: 'content cache' },
          { name: 'status', description: 'operation status' },
          { name: 'system', description: 'health, metrics' }
        ],
        ...(apiKeys
          ? {
              components: {
                securitySchemes: {
                  [API_KEY_SCHEME]: {
                    type: 'apiKey',
                    in: 'header',
                    name: 'X-API-Key',
                    description: 'One of the keys in the gateway’s API_KEYS'
                  }
                }
              }
            }
          : {})
      }
    })
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      // The key typed into Authorize survives a reload of the page.
      uiConfig: { persistAuthorization: true }
    })
  },
  { name: 'swagger' }
)
