import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { HttpError } from '../errors.ts'
import { errorResponse, ref, StatusParams, StatusRecord, statusHeaders } from '../schemas.ts'
import { Tag } from './tags.ts'

const tags = [Tag.status]
const MAX_WAIT_SECONDS = 30

const notFound = (correlationId: string) =>
  new HttpError(
    'STATUS_NOT_FOUND',
    `Nenhuma operação ${correlationId} foi aceita (ou seu status já passou do período de retenção)`
  )

export default async function status(server: FastifyInstance) {
  // request.params and request.query typed from the route's schemas.
  const app = server.withTypeProvider<TypeBoxTypeProvider>()
  app.get('/status/:correlation_id', {
    schema: {
      operationId: 'getStatus',
      tags,
      summary: "An operation's status",
      description:
        '`pending` (with `Retry-After`) while the processor works; then the reply: `success`, `error` or `cancelled`, with message, data and duration. `?wait=N` holds the request up to N seconds (≤ 30) until the reply arrives.',
      params: StatusParams,
      querystring: Type.Object({
        wait: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: MAX_WAIT_SECONDS,
            description: 'seconds to wait for a terminal status'
          })
        )
      }),
      response: {
        200: {
          ...ref(StatusRecord),
          description: 'The status: `pending` (with `Retry-After`), or the reply once it arrived',
          headers: statusHeaders
        },
        400: errorResponse(400, ['VALIDATION_ERROR', 'INVALID_QUERY_STRING', 'BAD_URL']),
        404: errorResponse(404, ['STATUS_NOT_FOUND']),
        503: errorResponse(503, ['SERVICE_UNAVAILABLE'])
      }
    },
    handler: async (request, reply) => {
      const { correlation_id: correlationId } = request.params
      const { wait } = request.query
      let record = await app.statusStore.get(correlationId)
      if (record && record.status === 'pending' && wait && wait > 0) {
        // Stop waiting when the client goes away.
        const gone = new AbortController()
        const onClose = () => gone.abort()
        request.raw.once('close', onClose)
        try {
          record = await app.statusStore.waitForTerminal(correlationId, wait * 1000, gone.signal)
        } finally {
          request.raw.off('close', onClose)
        }
      }
      if (!record) throw notFound(correlationId)
      if (record.status === 'pending') reply.header('Retry-After', '1')
      return record
    }
  })

  app.delete('/status/:correlation_id', {
    schema: {
      operationId: 'cancelOperation',
      tags,
      summary: 'Cancel an operation the processor has not started',
      description:
        'Definitive: a 200 means the operation will never be applied, and its status is `cancelled` from now on. The gateway and the processor decide atomically (the processor claims an operation before it applies it; a cancellation wins only over an unclaimed one). An operation already claimed (`ALREADY_STARTED`) or finished (`ALREADY_FINISHED`) answers 409.',
      params: StatusParams,
      response: {
        200: {
          ...ref(StatusRecord),
          description: 'Cancelled: the operation will never be applied; its status is `cancelled`'
        },
        400: errorResponse(400, ['VALIDATION_ERROR', 'BAD_URL']),
        404: errorResponse(404, ['STATUS_NOT_FOUND']),
        409: errorResponse(409, ['ALREADY_STARTED', 'ALREADY_FINISHED']),
        503: errorResponse(503, ['SERVICE_UNAVAILABLE'])
      }
    },
    handler: async (request) => {
      const { correlation_id: correlationId } = request.params
      const result = await app.statusStore.cancel(correlationId)
      if (result.outcome === 'unknown') throw notFound(correlationId)
      if (result.outcome === 'started') {
        throw new HttpError(
          'ALREADY_STARTED',
          `A operação ${correlationId} já está sendo processada e não pode mais ser cancelada`
        )
      }
      if (result.outcome === 'finished') {
        throw new HttpError(
          'ALREADY_FINISHED',
          `A operação ${correlationId} já terminou com status ${result.record.status}`
        )
      }
      request.log.info({ correlation_id: correlationId }, 'operation cancelled')
      return result.record
    }
  })
}
