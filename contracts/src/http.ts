// The HTTP vocabulary of every service; the plugin and handlers that answer with it are in
// @streaming/runtime (http-errors.ts).

/**
 * The longest request target (path and query string) a service answers; longer ones get 414.
 * 8 KiB is what HTTP/1.1 implementations are expected to take (RFC 9110 §4.1: at least 8000
 * octets), what nginx in front of the dashboard passes (`large_client_header_buffers 4 8k`) and
 * half of Node's limit on the whole request head, so the headers keep room of their own. No
 * legitimate URL comes close: the longest query-string input (a 2000-character synopsis) is
 * ~3 KiB encoded, and a larger input belongs in a JSON body.
 */
export const MAX_URL_LENGTH = 8192

/** Stable codes of the errors answered by the HTTP layer of every service. */
export const HttpErrorCode = {
  routeNotFound: 'ROUTE_NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  uriTooLong: 'URI_TOO_LONG',
  headersTooLarge: 'HEADERS_TOO_LARGE',
  requestTimeout: 'REQUEST_TIMEOUT',
  badRequest: 'BAD_REQUEST',
  badUrl: 'BAD_URL',
  validation: 'VALIDATION_ERROR',
  notAcceptable: 'NOT_ACCEPTABLE',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  rateLimited: 'RATE_LIMITED',
  internal: 'INTERNAL_ERROR'
} as const
