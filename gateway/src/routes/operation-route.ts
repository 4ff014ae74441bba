import {
  EventType,
  type HttpMethod,
  kafkaKeyOf,
  operations,
  type RequestData,
  requestEnvelope,
  type RequestEventType,
  validatorOf
} from '@streaming/contracts'
import { describeIssue } from '@streaming/runtime'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import Type, { type Static, type TObject } from 'typebox'
import { badRequest } from '../errors.ts'
import { completeRequest, type CompleterInput } from '../fake/index.ts'
import { idempotencyScopeOf } from '../idempotency/fingerprint.ts'
import { reserve } from '../idempotency/reservation.ts'
import { acceptedResponse, errorResponse, IdempotencyHeaders } from '../schemas.ts'

type Fields = Record<string, unknown>
/** What an operation's path, query string and body schemas (TypeBox objects) validate. */
type ObjectFields = Static<TObject>

/**
 * One operation's route. Its method, path and Kafka key are the operation table's
 * (`operations` in @streaming/contracts), looked up by `eventType`.
 */
export interface OperationRouteSpec<T extends RequestEventType> {
  eventType: T
  tags: string[]
  summary: string
  description?: string
  params?: TObject
  /** Fields accepted from the query string and (except GET/DELETE) the JSON body; all optional. */
  input?: TObject
  /** Fields that must come from the path, query string or body. */
  required?: string[]
  /**
   * The body Swagger UI fills in for "Try it out": no identity field (ids, e-mail, CPF), so the
   * default request can be sent again and again. `{}` when omitted.
   */
  bodyExample?: Fields
  /** A check the schema cannot express; returns the problem, naming the field. */
  check?: (data: RequestData<T>) => string | undefined
  /** The part of the 202 body that echoes the request. */
  echo: (data: RequestData<T>) => Fields
  mensagem: string
}

/** What the OpenAPI document says of a route beyond its validation schemas (openapi/document.ts). */
export interface OperationDoc {
  /** Fields the body must hold, unless they come in the query string. */
  requiredInBody: string[]
  bodyExample: Fields
}

declare module 'fastify' {
  interface FastifyContextConfig {
    operationDoc?: OperationDoc
  }
}

const withBody = (method: string) => method === 'POST' || method === 'PUT'

/** The Fastify pattern of a path as SPEC.md writes it: `/usuarios/{user_id}` → `/usuarios/:user_id`. */
export const routeUrl = (path: string): string => path.replace(/\{([^}/]+)\}/g, ':$1')

/** The method and Fastify URL of an operation's route, from the operation table. */
export function routeOf(eventType: RequestEventType): { method: HttpMethod; url: string } {
  const { method, path } = operations[eventType]
  return { method, url: routeUrl(path) }
}

/** The completed request must satisfy the contract the processor checks it against. */
function contractProblem(eventType: RequestEventType, data: unknown): string | undefined {
  const schema = operations[eventType].data
  const validator = validatorOf(schema)
  if (validator.Check(data)) return undefined
  const [first] = validator.Errors(data)
  return first ? describeIssue(first, 'dados') : 'dados inválidos'
}

/** The operationId of an event type: its name in `EventType` (`criar_usuario` → `createUser`). */
const operationIdOf = (eventType: RequestEventType) =>
  Object.entries(EventType).find(([, value]) => value === eventType)?.[0] ?? eventType

/**
 * Registers one operation route: validated input from path, query string or body, omitted
 * fields generated, the request published to Kafka and answered 202 once Kafka acknowledged it.
 */
export function operationRoute<T extends RequestEventType>(
  app: FastifyInstance,
  spec: OperationRouteSpec<T>
): void {
  // TypeBox's Partial/Omit drop `additionalProperties: false`: restore it, so an unknown field
  // is a 400 naming it rather than silently ignored — on routes without fields too.
  const input = { ...(spec.input ?? Type.Object({})), additionalProperties: false }
  const route = routeOf(spec.eventType)
  const body = withBody(route.method)
  const writes = route.method !== 'GET'
  // The schemas are the operation's, not known here (params optional): typed as the objects they are.
  app.route<{ Params: ObjectFields; Querystring: ObjectFields; Body: ObjectFields }>({
    method: route.method,
    url: route.url,
    config: {
      operationDoc: { requiredInBody: spec.required ?? [], bodyExample: spec.bodyExample ?? {} }
    },
    schema: {
      operationId: operationIdOf(spec.eventType),
      tags: spec.tags,
      summary: spec.summary,
      description: [
        spec.description,
        `Publishes \`${spec.eventType}\` on \`user_events\` and answers 202 with the \`correlation_id\`; the outcome arrives at \`GET /status/{correlation_id}\` (the 202's link).`,
        spec.required?.length
          ? `Required: ${spec.required.map((field) => `\`${field}\``).join(', ')} (the \`usuario.user_id\` of a \`POST /usuarios\` answer), in the body or the query string.`
          : undefined
      ]
        .filter(Boolean)
        .join('\n\n'),
      ...(writes ? { headers: IdempotencyHeaders } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      querystring: input,
      ...(body ? { body: input } : {}),
      response: {
        202: acceptedResponse({ writes }),
        400: errorResponse(400, [
          'VALIDATION_ERROR',
          'INVALID_QUERY_STRING',
          'BAD_URL',
          ...(body ? (['INVALID_JSON', 'INVALID_UTF8', 'FORBIDDEN_PROPERTY'] as const) : [])
        ]),
        ...(writes ? { 409: errorResponse(409, ['IDEMPOTENCY_KEY_IN_USE']) } : {}),
        ...(body
          ? {
              413: errorResponse(413, ['PAYLOAD_TOO_LARGE']),
              415: errorResponse(415, ['UNSUPPORTED_MEDIA_TYPE'])
            }
          : {}),
        ...(writes ? { 422: errorResponse(422, ['IDEMPOTENCY_KEY_MISMATCH']) } : {}),
        503: errorResponse(503, ['SERVICE_UNAVAILABLE'])
      }
    },
    // No body is as valid as `{}`: every field may come from the query string instead. A JSON
    // `null` is a body, and not an object: a 400.
    preValidation: async (request) => {
      if (body && request.body === undefined) {
        request.body = {}
      }
    },
    handler: async (request, reply) => {
      const fields: Fields = {
        ...request.query,
        // A GET or DELETE body has no meaning here (Fastify parses a DELETE one): not used.
        ...(body ? request.body : {}),
        ...request.params
      }
      // Bound to what the client sent, before generation: a retry regenerates nothing.
      const scope = idempotencyScopeOf(request.headers, { ...route, route: route.url, fields })
      const data = validData(spec, fields)
      const reservation = await reserve<AcceptedBody>(app.idempotency, scope, app.log)
      const accepted =
        reservation.replay ?? (await reservation.settle(() => publish(app, request, spec, data)))
      reply.code(202).header('Location', accepted.status_url).header('Retry-After', '1')
      if (reservation.replay) reply.header('Idempotent-Replayed', 'true')
      return accepted
    }
  })
}

interface AcceptedBody extends Fields {
  mensagem: string
  correlation_id: string
  status_url: string
}

/** The request's data: the fields sent, omitted ones generated, checked as the processor will. */
function validData<T extends RequestEventType>(
  spec: OperationRouteSpec<T>,
  fields: Fields
): RequestData<T> {
  const missing = (spec.required ?? []).filter((field) => fields[field] === undefined)
  if (missing.length > 0) {
    throw badRequest(
      `${missing.join(', ')} ${missing.length === 1 ? 'é obrigatório' : 'são obrigatórios'} (na query string ou no corpo JSON)`
    )
  }
  const data = completeRequest(spec.eventType, fields as CompleterInput[T])
  const problem = spec.check?.(data) ?? contractProblem(spec.eventType, data)
  if (problem) throw badRequest(problem)
  return data
}

/** Records the request pending, publishes it and returns the 202 body. */
async function publish<T extends RequestEventType>(
  app: FastifyInstance,
  request: FastifyRequest,
  spec: OperationRouteSpec<T>,
  data: RequestData<T>
): Promise<AcceptedBody> {
  const envelope = requestEnvelope(spec.eventType, data)
  const { correlation_id: correlationId, timestamp: acceptedAt } = envelope

  // Recorded first: a status store that refuses writes (Redis down or out of memory) refuses the
  // request with a 503 before anything is published, rather than accepting an operation whose
  // status nobody could follow.
  await app.statusStore.markPending(correlationId, spec.eventType, acceptedAt)
  try {
    await app.requests.publish(envelope, kafkaKeyOf(spec.eventType, data))
  } catch (err) {
    // Not accepted: no status stays behind for it.
    await app.statusStore.forgetPending(correlationId).catch((forgetErr: unknown) => {
      request.log.warn(
        { err: forgetErr, correlation_id: correlationId },
        'pending status not removed'
      )
    })
    throw err
  }

  request.acceptedOperation = { correlation_id: correlationId, event_type: spec.eventType }
  return {
    mensagem: spec.mensagem,
    correlation_id: correlationId,
    status_url: `/status/${correlationId}`,
    ...spec.echo(data)
  }
}
