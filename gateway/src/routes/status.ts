import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { HttpError } from '../errors.ts'
import { ErrorResponse, StatusParams, StatusResponse } from '../schemas.ts'

const tags = ['status']
const MAX_WAIT_SECONDS = 30

const notFound = (correlationId: string) =>
  new HttpError(
    404,
    'STATUS_NOT_FOUND',
    `No operation ${correlationId} was accepted (or its status is past retention)`
  )

export default async function status(app: FastifyInstance) {
  app.get('/status/:correlation_id', {
    schema: {
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
      response: { 200: StatusResponse, 400: ErrorResponse, 404: ErrorResponse }
    },
    handler: async (request, reply) => {
      const { correlation_id: correlationId } = request.params as { correlation_id: string }
      const { wait } = request.query as { wait?: number }
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
      tags,
      summary: 'Cancel an operation still pending',
      description:
        'The processor skips a cancelled operation and its status becomes `cancelled`. An operation already finished answers 409.',
      params: StatusParams,
      response: { 202: StatusResponse, 404: ErrorResponse, 409: ErrorResponse }
    },
    handler: async (request, reply) => {
      const { correlation_id: correlationId } = request.params as { correlation_id: string }
      const result = await app.statusStore.requestCancel(correlationId)
      if (result.outcome === 'unknown') throw notFound(correlationId)
      if (result.outcome === 'finished') {
        throw new HttpError(
          409,
          'ALREADY_FINISHED',
          `Operation ${correlationId} already finished with status ${result.record.status}`
        )
      }
      request.log.info({ correlation_id: correlationId }, 'cancellation requested')
      return reply.code(202).header('Location', `/status/${correlationId}`).send(result.record)
    }
  })
}
