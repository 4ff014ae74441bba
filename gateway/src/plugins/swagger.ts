import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

/** The OpenAPI 3 document, built from the routes' schemas (the contracts), and Swagger UI at /docs. */
export default fp<{ version: string }>(
  async (app, { version }) => {
    await app.register(swagger, {
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
        ]
      }
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'swagger' }
)
