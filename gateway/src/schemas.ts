import { CorrelationId } from '@streaming/contracts'
import Type from 'typebox'

/** HTTP-only schemas: answers of the gateway itself (request and reply data live in contracts). */

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'stable error code' }),
    error: Type.String(),
    message: Type.String({ description: 'what is wrong, naming the field' })
  },
  { $id: 'ErrorResponse', description: 'An error' }
)

export const AcceptedResponse = Type.Object(
  {
    mensagem: Type.String({ examples: ['Requisição aceita; acompanhe em status_url'] }),
    correlation_id: CorrelationId,
    status_url: Type.String({ examples: ['/status/0b6f3c52-0f3e-4f5e-9a7c-2a1d8f0c6e11'] })
  },
  {
    additionalProperties: true,
    description:
      'Accepted: the request is durable in Kafka. The body echoes the request data (generated fields included).'
  }
)

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'the same key within the status retention returns the same correlation_id and publishes nothing new'
    })
  )
})

export const StatusParams = Type.Object({ correlation_id: CorrelationId })

export const StatusResponse = Type.Object(
  {
    correlation_id: CorrelationId,
    status: Type.Enum(['pending', 'success', 'error', 'cancelled']),
    original_event_type: Type.String(),
    accepted_at: Type.Optional(Type.String({ format: 'date-time' })),
    completed_at: Type.Optional(Type.String({ format: 'date-time' })),
    message: Type.Optional(Type.String()),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    duration_ms: Type.Optional(Type.Number()),
    error: Type.Optional(Type.Object({ code: Type.String(), retryable: Type.Boolean() })),
    cancel_requested: Type.Optional(Type.Boolean())
  },
  { additionalProperties: true }
)

/** Error answers every operation route documents. */
export const operationErrorResponses = {
  400: ErrorResponse,
  409: ErrorResponse,
  503: ErrorResponse
}
