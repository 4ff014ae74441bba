import { STATUS_CODES } from 'node:http'
import { CorrelationId, OperationStatus, type OperationStatusValue } from '@streaming/contracts'
import Type, { type Static, type TSchema } from 'typebox'
import { describeCodes, errorCodes, type ErrorCodeName } from './error-codes.ts'

/**
 * HTTP-only schemas: answers of the gateway itself (request and reply data live in contracts).
 * The named ones are shared schemas of the app (`app.addSchema`), referenced by `$ref`, so the
 * OpenAPI document shows each once, under its name, in `components.schemas`.
 */

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer({ description: 'the HTTP status, repeated' }),
    code: Type.Enum(errorCodes, {
      description: 'stable code: switch on it, not on the message'
    }),
    error: Type.String({ description: 'the HTTP reason phrase' }),
    message: Type.String({ description: 'what is wrong, in Portuguese, naming the field' })
  },
  { $id: 'ErrorResponse', description: 'An error, in the same shape on every service' }
)

export const AcceptedResponse = Type.Object(
  {
    mensagem: Type.String({ examples: ['Criação de usuário aceita; acompanhe em status_url'] }),
    correlation_id: CorrelationId,
    status_url: Type.String({
      description: 'where to follow the operation: `GET` it (with `?wait=N` to wait)',
      examples: ['/status/0b6f3c52-0f3e-4f5e-9a7c-2a1d8f0c6e11']
    })
  },
  {
    $id: 'Accepted',
    additionalProperties: true,
    description:
      'Accepted: the request is durable in Kafka. Besides these fields the body echoes the request data under one name per operation (`usuario`, `assinatura`, `sessao`, …), generated fields included.'
  }
)

export const StatusRecord = Type.Object(
  {
    correlation_id: CorrelationId,
    status: Type.Enum(Object.values(OperationStatus) as OperationStatusValue[], {
      description: '`pending` until the reply arrives; then `success`, `error` or `cancelled`'
    }),
    original_event_type: Type.String({ description: 'the operation, e.g. `criar_usuario`' }),
    accepted_at: Type.Optional(Type.String({ format: 'date-time' })),
    completed_at: Type.Optional(Type.String({ format: 'date-time' })),
    message: Type.Optional(Type.String({ description: 'the reply’s message, in Portuguese' })),
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'the operation’s result' })
    ),
    duration_ms: Type.Optional(
      Type.Number({ description: 'processing time in the processor, in milliseconds' })
    ),
    error: Type.Optional(
      Type.Object(
        {
          code: Type.String({ description: 'why it failed, e.g. `USER_NOT_FOUND`' }),
          retryable: Type.Boolean({ description: 'whether the same request may succeed later' })
        },
        { description: 'present when `status` is `error`' }
      )
    )
  },
  { $id: 'StatusRecord', additionalProperties: true, description: 'An operation’s status' }
)
export type StatusRecord = Static<typeof StatusRecord>

/** The schemas the app shares by name; registered before the routes that reference them. */
export const sharedSchemas: TSchema[] = [ErrorResponse, AcceptedResponse, StatusRecord]

/** A reference to a shared schema, as Fastify and the OpenAPI document resolve it. */
export const ref = (schema: TSchema) => ({ $ref: `${(schema as { $id?: string }).$id}#` })

export const StatusParams = Type.Object({ correlation_id: CorrelationId })

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Makes a retry safe: the same key with the same request (method, path and fields) within the status retention answers the first 202 again and publishes nothing; with a different request it is a 422. Keys belong to one client (its API key, when keys are on). 1–200 visible ASCII characters; a UUID is a good key.'
    })
  )
})

interface HeaderDoc {
  schema: TSchema
  description: string
  required?: boolean
}

const header = (description: string, schema: TSchema = Type.String(), required = false) =>
  ({ schema, description, required }) satisfies HeaderDoc

const retryAfter = (what: string, required: boolean) =>
  header(`seconds to wait before ${what}`, Type.Integer({ minimum: 0 }), required)

/** Response headers, as @fastify/swagger reads them from a response schema. */
export const headersOf = (headers: Record<string, HeaderDoc>) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, doc]) => [
      name,
      // `x-required` becomes the header's `required` in the document (see openapi/document.ts).
      {
        ...doc.schema,
        description: doc.description,
        ...(doc.required ? { 'x-required': true } : {})
      }
    ])
  )

export const rateLimitHeaders: Record<string, HeaderDoc> = {
  'x-ratelimit-limit': header('requests allowed per window', Type.Integer()),
  'x-ratelimit-remaining': header('requests left in this window', Type.Integer()),
  'x-ratelimit-reset': header('seconds until the window starts again', Type.Integer())
}

/** The 202 of an operation route: the body, `Location`, `Retry-After`, and on writes the replay mark. */
export function acceptedResponse(options: { writes: boolean }) {
  return {
    ...ref(AcceptedResponse),
    description:
      'Accepted: the request is durable in Kafka. Follow it at `Location` (the `status_url` of the body).',
    headers: headersOf({
      Location: header('`/status/{correlation_id}` of the operation', Type.String(), true),
      'Retry-After': retryAfter('polling the status', true),
      ...(options.writes
        ? {
            'Idempotent-Replayed': header(
              '`true` when this is the first answer to the same Idempotency-Key, sent again (nothing new was published)',
              Type.Enum(['true'])
            )
          }
        : {})
    })
  }
}

/** An error response of one status, its description listing the codes it can carry. */
export function errorResponse(status: number, codes?: readonly ErrorCodeName[]) {
  const retry: Record<string, HeaderDoc> =
    status === 503 || status === 429
      ? { 'Retry-After': retryAfter('retrying', true) }
      : status === 409 && (codes === undefined || codes.includes('IDEMPOTENCY_KEY_IN_USE'))
        ? { 'Retry-After': retryAfter('retrying (with `IDEMPOTENCY_KEY_IN_USE`)', false) }
        : {}
  return {
    ...ref(ErrorResponse),
    description: `${STATUS_CODES[status] ?? 'Error'}. ${describeCodes(status, codes)}`,
    ...(Object.keys(retry).length > 0 ? { headers: headersOf(retry) } : {})
  }
}

/** Retry-After on a status answer: present while the operation is pending. */
export const statusHeaders = headersOf({ 'Retry-After': retryAfter('polling again', false) })
