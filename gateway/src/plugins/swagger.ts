import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { MAX_URL_LENGTH } from '@streaming/contracts'
import { API_KEY_SCHEME, documentRoute, finishDocument } from '../openapi/document.ts'
import { tagDescriptions } from '../routes/tags.ts'
import { sharedSchemas } from '../schemas.ts'

export interface SwaggerOptions {
  version: string
  /** Whether routes need an X-API-Key (API_KEYS set): the document then declares the scheme. */
  apiKeys: boolean
  /** Whether the rate limit is on: the limited routes then document their 429. */
  rateLimited: boolean
}

const description = `Every operation answers **202 Accepted** once Kafka acknowledged its request, with a \`correlation_id\`, \`Location: /status/{correlation_id}\` and \`Retry-After\`; the outcome arrives at \`GET /status/{correlation_id}\` (\`?wait=N\` waits for it, up to 30 s).

**Body or query string.** Every field an operation takes may come in the JSON body (as documented here) or, as the platform this one replaces took them, in the query string — \`POST /usuarios?nome=Maria%20Souza\` is \`POST /usuarios\` with \`{"nome": "Maria Souza"}\`. A field given is used as given; omitted fields are generated (realistic Brazilian data), so an empty body is a complete request wherever no field is required.

**Errors** have one shape on every service, \`{ statusCode, error, code, message }\`: switch on \`code\` (the \`ErrorResponse\` schema lists them all); \`message\` is Portuguese and names the field. Besides those each operation lists: a known path with an undeclared method is a **405** with \`Allow\`; a URL over ${MAX_URL_LENGTH} characters a **414**; a request head over 16 KiB a **431**.

**Idempotency-Key** (write operations): the same key with the same request is answered with the first 202 again (\`Idempotent-Replayed: true\`) and publishes nothing; with a different request it is a 422, while the first is still being accepted a 409.`

/** The OpenAPI 3.1 document, built from the routes' schemas (the contracts), and Swagger UI at /docs. */
export default fp<SwaggerOptions>(
  async (app, { version, apiKeys, rateLimited }) => {
    for (const schema of sharedSchemas) app.addSchema(schema)
    await app.register(swagger, {
      transform: (route) => documentRoute(route as never, { apiKeys, rateLimited }),
      transformObject: (documentObject) =>
        finishDocument((documentObject as { openapiObject: never }).openapiObject) as never,
      // Shared schemas keep their names in components.schemas.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json.$id === 'string' ? json.$id : `schema-${index}`
      },
      openapi: {
        // 3.1: its Schema Objects are JSON Schema 2020-12, which the contracts are written in.
        openapi: '3.1.0',
        info: { title: 'Plataforma de Streaming — API gateway', version, description },
        tags: Object.entries(tagDescriptions).map(([name, text]) => ({
          name,
          description: text
        })),
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
