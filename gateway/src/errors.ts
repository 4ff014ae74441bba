import { statusOf, type ErrorCodeName } from './error-codes.ts'

/**
 * An HTTP error with a stable code, answered as `{ statusCode, code, error, message }`; its
 * status is the catalogue's for the code (error-codes.ts), so the two never disagree.
 */
export class HttpError extends Error {
  readonly statusCode: number
  readonly code: ErrorCodeName
  readonly retryAfterSeconds?: number

  constructor(
    code: ErrorCodeName,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {}
  ) {
    super(message, { cause: options.cause })
    this.name = 'HttpError'
    this.statusCode = statusOf(code)
    this.code = code
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds
  }
}

export const badRequest = (message: string) => new HttpError('VALIDATION_ERROR', message)

export const serviceUnavailable = (message: string, cause?: unknown) =>
  new HttpError('SERVICE_UNAVAILABLE', message, { retryAfterSeconds: 5, cause })
