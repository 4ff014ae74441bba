import { HttpErrorCode } from '@streaming/contracts'

interface ErrorCodeEntry {
  /** The HTTP status every answer with this code has. */
  status: number
  meaning: string
}

/**
 * Every error code the gateway answers, with its HTTP status and what it means to a client: the
 * codes of the platform's shared HTTP layer (`HttpErrorCode`, answered by contracts' handlers)
 * and the gateway's own. Every error the gateway raises takes its code, and so its status, from
 * here (see errors.ts), and the OpenAPI document lists them (the `code` enum of ErrorResponse,
 * and per status the codes it can carry), so a client can switch on `code` knowing the list is
 * complete.
 */
export const errorCatalogue = {
  [HttpErrorCode.validation]: {
    status: 400,
    meaning: 'a field is missing, of the wrong type, out of range, unknown or inconsistent'
  },
  INVALID_JSON: { status: 400, meaning: 'the body is not JSON' },
  INVALID_UTF8: { status: 400, meaning: 'the body is not UTF-8' },
  FORBIDDEN_PROPERTY: {
    status: 400,
    meaning: 'the body holds `__proto__` or `constructor.prototype`'
  },
  INVALID_QUERY_STRING: {
    status: 400,
    meaning: 'the query string is not valid percent-encoded UTF-8'
  },
  [HttpErrorCode.badUrl]: { status: 400, meaning: 'the URL does not decode' },
  [HttpErrorCode.badRequest]: { status: 400, meaning: 'the request is malformed' },
  API_KEY_REQUIRED: { status: 401, meaning: 'API keys are on and `X-API-Key` is missing' },
  API_KEY_INVALID: { status: 403, meaning: '`X-API-Key` holds no valid key' },
  STATUS_NOT_FOUND: {
    status: 404,
    meaning: 'no operation with this id was accepted, or its status is past retention'
  },
  [HttpErrorCode.routeNotFound]: { status: 404, meaning: 'no such path' },
  [HttpErrorCode.methodNotAllowed]: {
    status: 405,
    meaning: 'the path exists, not with this method (`Allow` lists those it has)'
  },
  [HttpErrorCode.notAcceptable]: { status: 406, meaning: '`Accept` excludes JSON' },
  [HttpErrorCode.requestTimeout]: { status: 408, meaning: 'the request did not arrive in time' },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    meaning:
      'the first request with this Idempotency-Key is still being accepted (see `Retry-After`)'
  },
  ALREADY_STARTED: {
    status: 409,
    meaning: 'the processor has claimed the operation: it can no longer be cancelled'
  },
  ALREADY_FINISHED: { status: 409, meaning: 'the operation has a terminal status already' },
  [HttpErrorCode.payloadTooLarge]: { status: 413, meaning: 'the body is over the gateway’s limit' },
  [HttpErrorCode.uriTooLong]: { status: 414, meaning: 'the URL is over 8 KiB' },
  [HttpErrorCode.unsupportedMediaType]: {
    status: 415,
    meaning: 'the body is not `application/json`'
  },
  IDEMPOTENCY_KEY_MISMATCH: {
    status: 422,
    meaning: 'this Idempotency-Key was used for a different request (method, path or data)'
  },
  [HttpErrorCode.rateLimited]: {
    status: 429,
    meaning: 'too many requests from this address in the window (see `Retry-After`)'
  },
  [HttpErrorCode.headersTooLarge]: { status: 431, meaning: 'the request head is over 16 KiB' },
  [HttpErrorCode.internal]: { status: 500, meaning: 'a fault of the gateway (details in its log)' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning: 'Kafka or Redis did not answer in time: nothing was accepted (see `Retry-After`)'
  }
} as const satisfies Record<string, ErrorCodeEntry>

export type ErrorCodeName = keyof typeof errorCatalogue

/**
 * The codes of the shared HTTP layer. Typed as the catalogue's names, so a code added to that
 * layer fails to compile here until the catalogue describes it: the gateway answers it too.
 */
export const sharedHttpCodes: readonly ErrorCodeName[] = Object.values(HttpErrorCode)

export const errorCodes = Object.keys(errorCatalogue) as ErrorCodeName[]

/** The codes an answer of this status can carry, as Markdown for a response's description. */
export function describeCodes(
  status: number,
  codes: readonly ErrorCodeName[] = errorCodes
): string {
  return codes
    .filter((code) => errorCatalogue[code].status === status)
    .map((code) => `\`${code}\`: ${errorCatalogue[code].meaning}`)
    .join('; ')
}
