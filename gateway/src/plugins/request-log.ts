import type { RequestEventType } from '@streaming/contracts'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once an operation is accepted, so the request's log line names it. */
    acceptedOperation: { correlation_id: string; event_type: RequestEventType } | null
  }
}

/**
 * One log line per request, when its answer is sent, carrying the operation's correlation_id
 * when there is one; Fastify's default is two lines per request (received, completed), which
 * under load costs more than the work of the request itself. A route's `logLevel` still applies.
 */
export default fp(
  async (app) => {
    app.decorateRequest('acceptedOperation', null)
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          ...request.acceptedOperation,
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          response_ms: Math.round(reply.elapsedTime * 10) / 10
        },
        'request completed'
      )
    })
  },
  { name: 'request-log' }
)
