import type { FastifySchema, RouteOptions } from 'fastify'
import type { OperationDoc } from '../routes/operation-route.ts'
import { errorResponse, headersOf, rateLimitHeaders } from '../schemas.ts'
import { isOpenRoute } from '../open-routes.ts'

/**
 * The two passes that turn the routes' validation schemas into the published OpenAPI document:
 * `documentRoute` adjusts each route's schema (@fastify/swagger's `transform`), `finishDocument`
 * the assembled document (its `transformObject`). Validation never sees either.
 */

export interface DocumentOptions {
  /** API keys on: limited routes declare the scheme and their 401/403. */
  apiKeys: boolean
  /** Rate limit on: limited routes declare their 429 and the rate-limit headers. */
  rateLimited: boolean
}

export const API_KEY_SCHEME = 'apiKey'

type Schema = FastifySchema & Record<string, unknown>
type Responses = Record<string, Record<string, unknown>>

export function documentRoute(
  { schema, url, route }: { schema: Schema; url: string; route: RouteOptions },
  { apiKeys, rateLimited }: DocumentOptions
): { schema: Schema; url: string } {
  if (!schema) return { schema, url }
  let documented: Schema = { ...schema }
  const operationDoc = route.config?.operationDoc as OperationDoc | undefined
  if (operationDoc && documented.body) {
    // The query string is the documented alternative to the body (said once, in the document's
    // description), not a second copy of every field.
    delete documented.querystring
    documented.body = {
      ...(documented.body as Record<string, unknown>),
      ...(operationDoc.requiredInBody.length > 0 ? { required: operationDoc.requiredInBody } : {}),
      examples: [operationDoc.bodyExample]
    }
  }
  if (!isOpenRoute(url) && (apiKeys || rateLimited)) {
    const responses = { ...(documented.response as Responses | undefined) }
    if (rateLimited) {
      for (const [status, response] of Object.entries(responses)) {
        if (!status.startsWith('2')) continue
        const headers = { ...(response.headers as object), ...headersOf(rateLimitHeaders) }
        responses[status] = { ...response, headers }
      }
    }
    documented = {
      ...documented,
      ...(apiKeys ? { security: [{ [API_KEY_SCHEME]: [] }] } : {}),
      response: {
        ...responses,
        ...(apiKeys
          ? {
              401: errorResponse(401, ['API_KEY_REQUIRED']),
              403: errorResponse(403, ['API_KEY_INVALID'])
            }
          : {}),
        ...(rateLimited ? { 429: errorResponse(429, ['RATE_LIMITED']) } : {})
      }
    }
  }
  return { schema: documented, url }
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
  [key: string]: unknown
}

interface OpenApiOperation {
  operationId?: string
  requestBody?: { required?: boolean; content?: Record<string, unknown> }
  responses: Record<string, OpenApiResponse>
  [key: string]: unknown
}

interface OpenApiResponse {
  description: string
  headers?: Record<string, { schema?: Record<string, unknown>; required?: boolean }>
  content?: Record<string, { schema?: unknown; examples?: unknown }>
  links?: Record<string, unknown>
}

const statusExamples = {
  pending: {
    summary: 'Still being processed (the answer carries Retry-After)',
    value: {
      correlation_id: '0b6f3c52-0f3e-4f5e-9a7c-2a1d8f0c6e11',
      status: 'pending',
      original_event_type: 'criar_usuario',
      accepted_at: '2026-11-24T10:00:00.000Z'
    }
  },
  success: {
    summary: 'Applied',
    value: {
      correlation_id: '0b6f3c52-0f3e-4f5e-9a7c-2a1d8f0c6e11',
      status: 'success',
      original_event_type: 'criar_usuario',
      accepted_at: '2026-11-24T10:00:00.000Z',
      completed_at: '2026-11-24T10:00:00.021Z',
      message: 'Usuário 1732400000123 criado',
      data: { user_id: 1732400000123, nome: 'Maria Souza' },
      duration_ms: 8.4
    }
  },
  error: {
    summary: 'Refused by the processor, with a reason a person can act on',
    value: {
      correlation_id: '5d1e6a0b-3c1f-4f9a-8d2e-7b4c9a1f0e22',
      status: 'error',
      original_event_type: 'atualizar_assinatura',
      accepted_at: '2026-11-24T10:00:00.000Z',
      completed_at: '2026-11-24T10:00:00.015Z',
      message: 'Usuário 1234 não encontrado',
      data: {},
      duration_ms: 3.1,
      error: { code: 'USER_NOT_FOUND', retryable: false }
    }
  },
  cancelled: {
    summary: 'Cancelled before the processor claimed it: never applied',
    value: {
      correlation_id: '9a7c2a1d-8f0c-4e11-b6f3-c520f3e4f5e9',
      status: 'cancelled',
      original_event_type: 'criar_usuario',
      accepted_at: '2026-11-24T10:00:00.000Z',
      completed_at: '2026-11-24T10:00:01.200Z',
      message: 'Operação cancelada pelo cliente antes do processamento'
    }
  }
}

const statusLink = {
  operationId: 'getStatus',
  parameters: { correlation_id: '$response.body#/correlation_id' },
  description: 'Follow the operation: `pending` until the processor replies.'
}

const cancelLink = {
  operationId: 'cancelOperation',
  parameters: { correlation_id: '$response.body#/correlation_id' },
  description: 'Cancel it, while the processor has not claimed it.'
}

/** Document-wide finishing: request bodies, header requirements, links, named examples. */
export function finishDocument(document: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      // Every field may come from the query string instead, so a body is optional unless the
      // route needs a field and the body is where the document says it goes.
      const bodySchema = operation.requestBody?.content?.['application/json'] as
        { schema?: { required?: string[] } } | undefined
      if (operation.requestBody) {
        operation.requestBody.required = (bodySchema?.schema?.required?.length ?? 0) > 0
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const header of Object.values(response.headers ?? {})) {
          if (header.schema?.['x-required'] === true) {
            delete header.schema['x-required']
            header.required = true
          }
        }
        if (status === '202') response.links = { status: statusLink, cancel: cancelLink }
      }
      if (operation.operationId === 'getStatus' || operation.operationId === 'cancelOperation') {
        const media = operation.responses['200']?.content?.['application/json']
        if (media) {
          media.examples =
            operation.operationId === 'getStatus'
              ? statusExamples
              : { cancelled: statusExamples.cancelled }
        }
      }
    }
  }
  return document
}
