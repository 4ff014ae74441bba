import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { API_KEY_HEADER } from '../plugins/api-key.ts'

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export interface FingerprintedRequest {
  method: string
  /** The route pattern, e.g. `/usuarios/:user_id/assinatura`; path parameters are in `fields`. */
  route: string
  /**
   * What the client sent, validated and before omitted fields are generated: path parameters,
   * query string and body merged (a field sent in the query string or in the body is the same
   * field), so two requests that mean the same thing have the same fingerprint.
   */
  fields: Record<string, unknown>
}

/** A digest of a request's method, route and fields: what an Idempotency-Key is bound to. */
export function requestFingerprint({ method, route, fields }: FingerprintedRequest): string {
  return createHash('sha256')
    .update(canonicalJson([method.toUpperCase(), route, fields]))
    .digest('base64url')
}

/**
 * The client an Idempotency-Key belongs to: a digest of its API key when keys are on (the key
 * itself is never stored), one shared namespace when they are off (nothing tells clients apart).
 */
export function idempotencyClient(apiKey: string | undefined): string {
  if (apiKey === undefined || apiKey === '') return 'anonymous'
  return `key-${createHash('sha256').update(apiKey).digest('base64url').slice(0, 22)}`
}

/** An Idempotency-Key as the gateway keeps it: the client's key, bound to one request. */
export interface IdempotencyScope {
  client: string
  key: string
  fingerprint: string
}

/**
 * The Idempotency-Key of a write request, bound to its client, method, route and fields; none
 * for a read or a request without the header.
 */
export function idempotencyScopeOf(
  headers: IncomingHttpHeaders,
  request: FingerprintedRequest
): IdempotencyScope | undefined {
  if (request.method.toUpperCase() === 'GET') return undefined
  const key = headers['idempotency-key']
  if (typeof key !== 'string' || key === '') return undefined
  const apiKey = headers[API_KEY_HEADER]
  return {
    client: idempotencyClient(typeof apiKey === 'string' ? apiKey : undefined),
    key,
    fingerprint: requestFingerprint(request)
  }
}
