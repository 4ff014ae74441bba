// Every error code of the platform, in one place: the codes HTTP answers carry (with the status
// each has and what it means to a client) and the codes of error replies on `response_events`.

/** The services that answer HTTP with the platform's error shape. */
export type HttpService = 'gateway' | 'processor' | 'monitor'

const everyService = ['gateway', 'processor', 'monitor'] as const

interface ErrorCodeEntry {
  /** The HTTP status of an answer with this code. */
  status: number
  meaning: string
  /** The services whose answers can carry it: each service's documentation lists its own. */
  answeredBy: readonly HttpService[]
}

/**
 * Every code an HTTP answer of the platform carries. A code is a key of this object, so a typo
 * is a compile error wherever an answer is sent; the gateway's OpenAPI document lists the
 * gateway's codes from here (the `code` enum of ErrorResponse, and per status what it means).
 */
// prettier-ignore
export const httpErrorCatalogue = {
  VALIDATION_ERROR: { status: 400, meaning: 'a field is missing, of the wrong type, out of range, unknown or inconsistent', answeredBy: everyService },
  INVALID_JSON: { status: 400, meaning: 'the body is not JSON', answeredBy: ['gateway'] },
  INVALID_UTF8: { status: 400, meaning: 'the body is not UTF-8', answeredBy: ['gateway'] },
  FORBIDDEN_PROPERTY: { status: 400, meaning: 'the body holds `__proto__` or `constructor.prototype`', answeredBy: ['gateway'] },
  INVALID_QUERY_STRING: { status: 400, meaning: 'the query string is not valid percent-encoded UTF-8', answeredBy: ['gateway'] },
  BAD_URL: { status: 400, meaning: 'the URL does not decode', answeredBy: everyService },
  BAD_REQUEST: { status: 400, meaning: 'the request is malformed', answeredBy: everyService },
  API_KEY_REQUIRED: { status: 401, meaning: 'API keys are on and `X-API-Key` is missing', answeredBy: ['gateway'] },
  API_KEY_INVALID: { status: 403, meaning: '`X-API-Key` holds no valid key', answeredBy: ['gateway'] },
  STATUS_NOT_FOUND: { status: 404, meaning: 'no operation with this id was accepted, or its status is past retention', answeredBy: ['gateway'] },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'no such path', answeredBy: everyService },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'the path exists, not with this method (`Allow` lists those it has)', answeredBy: everyService },
  NOT_ACCEPTABLE: { status: 406, meaning: '`Accept` excludes JSON', answeredBy: everyService },
  REQUEST_TIMEOUT: { status: 408, meaning: 'the request did not arrive in time', answeredBy: everyService },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, meaning: 'the first request with this Idempotency-Key is still being accepted (see `Retry-After`)', answeredBy: ['gateway'] },
  ALREADY_STARTED: { status: 409, meaning: 'the processor has claimed the operation: it can no longer be cancelled', answeredBy: ['gateway'] },
  ALREADY_FINISHED: { status: 409, meaning: 'the operation has a terminal status already', answeredBy: ['gateway'] },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the body is over the service’s limit', answeredBy: everyService },
  URI_TOO_LONG: { status: 414, meaning: 'the URL is over 8 KiB', answeredBy: everyService },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'the body is not `application/json`', answeredBy: everyService },
  IDEMPOTENCY_KEY_MISMATCH: { status: 422, meaning: 'this Idempotency-Key was used for a different request (method, path or data)', answeredBy: ['gateway'] },
  RATE_LIMITED: { status: 429, meaning: 'too many requests from this address in the window (see `Retry-After`)', answeredBy: everyService },
  HEADERS_TOO_LARGE: { status: 431, meaning: 'the request head is over 16 KiB', answeredBy: everyService },
  INTERNAL_ERROR: { status: 500, meaning: 'a fault of the service (details in its log)', answeredBy: everyService },
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'a server it depends on did not answer in time (the gateway: Kafka or Redis, and nothing was accepted; the monitor: Elasticsearch or Kafka); see `Retry-After`', answeredBy: ['gateway', 'monitor'] },
  TRANSACTION_NOT_FOUND: { status: 404, meaning: 'no event of this transaction is indexed: unknown, or accepted moments ago', answeredBy: ['monitor'] },
  NOT_FOUND: { status: 404, meaning: 'no such Kafka topic or partition', answeredBy: ['monitor'] }
} as const satisfies Record<string, ErrorCodeEntry>

export type HttpErrorCodeName = keyof typeof httpErrorCatalogue

/** The codes one service's answers can carry. */
export type HttpErrorCodeOf<S extends HttpService> = {
  [C in HttpErrorCodeName]: S extends (typeof httpErrorCatalogue)[C]['answeredBy'][number]
    ? C
    : never
}[HttpErrorCodeName]

export const httpErrorCodesOf = <S extends HttpService>(service: S): HttpErrorCodeOf<S>[] =>
  (Object.keys(httpErrorCatalogue) as HttpErrorCodeName[]).filter((code) =>
    (httpErrorCatalogue[code].answeredBy as readonly HttpService[]).includes(service)
  ) as HttpErrorCodeOf<S>[]

/** The codes every service's answers can carry. */
export type SharedHttpErrorCode = HttpErrorCodeOf<'gateway'> &
  HttpErrorCodeOf<'processor'> &
  HttpErrorCodeOf<'monitor'>

/** Names for the codes of the HTTP layer every service shares (runtime's error plugin). */
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
} as const satisfies Record<string, SharedHttpErrorCode>

/** Stable codes of error replies; `retryable` says whether the same request may succeed later. */
export const ErrorCode = {
  userNotFound: 'USER_NOT_FOUND',
  duplicate: 'DUPLICATE',
  invalidRequest: 'INVALID_REQUEST',
  sessionNotFound: 'SESSION_NOT_FOUND',
  unknownEventType: 'UNKNOWN_EVENT_TYPE',
  storeUnavailable: 'STORE_UNAVAILABLE',
  cancelled: 'CANCELLED',
  retriesExhausted: 'RETRIES_EXHAUSTED',
  internal: 'INTERNAL_ERROR'
} as const

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]
