import { randomUUID } from 'node:crypto'
import {
  ENVELOPE_VERSION,
  operations,
  Source,
  type RequestData,
  type RequestEnvelope,
  type RequestEventType,
  validatorOf
} from '@streaming/contracts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type TObject } from 'typebox'
import { badRequest, HttpError } from '../errors.ts'
import { completeRequest, type CompleterInput } from '../fake/index.ts'
import { AcceptedResponse, IdempotencyHeaders, operationErrorResponses } from '../schemas.ts'

type Fields = Record<string, unknown>

export interface OperationRouteSpec<T extends RequestEventType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  url: string
  eventType: T
  tags: string[]
  summary: string
  description?: string
  params?: TObject
  /** Fields accepted from the query string and (except GET/DELETE) the JSON body; all optional. */
  input?: TObject
  /** Fields that must come from the path, query string or body. */
  required?: string[]
  /** A check the schema cannot express; returns the problem, naming the field. */
  check?: (data: RequestData<T>) => string | undefined
  /** The entity the request is about: the Kafka key, so its requests stay in order. */
  key: (data: RequestData<T>) => string | number
  /** The part of the 202 body that echoes the request. */
  echo: (data: RequestData<T>) => Fields
  mensagem: string
}

const withBody = (method: string) => method === 'POST' || method === 'PUT'

/** The completed request must satisfy the contract the processor checks it against. */
function contractProblem(eventType: RequestEventType, data: unknown): string | undefined {
  const schema = operations[eventType].data
  const validator = validatorOf(schema)
  if (validator.Check(data)) return undefined
  const [first] = validator.Errors(data)
  return `${first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'request'} ${first?.message ?? 'is invalid'}`
}

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
  app.route({
    method: spec.method,
    url: spec.url,
    schema: {
      tags: spec.tags,
      summary: spec.summary,
      description: [
        spec.description,
        `Event type \`${spec.eventType}\`. Fields may come as query string or JSON body; omitted ones are generated.`,
        spec.required?.length ? `Required: ${spec.required.join(', ')}.` : undefined
      ]
        .filter(Boolean)
        .join('\n\n'),
      headers: IdempotencyHeaders,
      ...(spec.params ? { params: spec.params } : {}),
      querystring: input,
      ...(withBody(spec.method) ? { body: input } : {}),
      response: { 202: AcceptedResponse, ...operationErrorResponses }
    },
    // An empty body is as valid as `{}`: every field may come from the query string instead.
    preValidation: async (request) => {
      if (withBody(spec.method) && (request.body === undefined || request.body === null)) {
        request.body = {}
      }
    },
    handler: async (request, reply) => {
      const merged: Fields = {
        ...(request.query as Fields | undefined),
        // A GET or DELETE body has no meaning here (Fastify parses a DELETE one): not used.
        ...(withBody(spec.method) ? (request.body as Fields) : {}),
        ...(request.params as Fields | undefined)
      }
      const missing = (spec.required ?? []).filter((field) => merged[field] === undefined)
      if (missing.length > 0) {
        throw badRequest(
          `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required (query string or JSON body)`
        )
      }
      const data = completeRequest(spec.eventType, merged as CompleterInput[T])
      const problem = spec.check?.(data) ?? contractProblem(spec.eventType, data)
      if (problem) throw badRequest(problem)
      return accept(app, request, reply, spec, data)
    }
  })
}

async function accept<T extends RequestEventType>(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  spec: OperationRouteSpec<T>,
  data: RequestData<T>
) {
  const idempotencyKey = request.headers['idempotency-key'] as string | undefined
  if (idempotencyKey) {
    const claim = await app.statusStore.claimIdempotencyKey(idempotencyKey)
    if (!claim.claimed) {
      if (!claim.response) {
        throw new HttpError(
          409,
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is still being accepted; retry shortly'
        )
      }
      return reply
        .code(202)
        .header('Location', claim.response.status_url as string)
        .header('Retry-After', '1')
        .header('Idempotent-Replayed', 'true')
        .send(claim.response)
    }
  }

  const correlationId = randomUUID()
  const acceptedAt = new Date().toISOString()
  const envelope = {
    event_id: randomUUID(),
    event_type: spec.eventType,
    correlation_id: correlationId,
    timestamp: acceptedAt,
    source: Source.gateway,
    target: Source.processor,
    version: ENVELOPE_VERSION,
    data
  } as RequestEnvelope

  try {
    await app.requests.publish(envelope, String(spec.key(data)))
  } catch (err) {
    if (idempotencyKey) await app.statusStore.releaseIdempotencyKey(idempotencyKey).catch(() => {})
    throw err
  }

  try {
    await app.statusStore.markPending(correlationId, spec.eventType, acceptedAt)
  } catch (err) {
    // The request is durable in Kafka already; its reply will still record the status.
    request.log.error({ err, correlation_id: correlationId }, 'pending status not recorded')
  }

  const statusUrl = `/status/${correlationId}`
  const body = {
    mensagem: spec.mensagem,
    correlation_id: correlationId,
    status_url: statusUrl,
    ...spec.echo(data)
  }
  if (idempotencyKey) {
    await app.statusStore.completeIdempotencyKey(idempotencyKey, body).catch((err: unknown) => {
      request.log.error({ err, correlation_id: correlationId }, 'idempotency key not recorded')
    })
  }
  request.acceptedOperation = { correlation_id: correlationId, event_type: spec.eventType }
  return reply.code(202).header('Location', statusUrl).header('Retry-After', '1').send(body)
}
