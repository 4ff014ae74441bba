/** An HTTP error with a stable code, answered as `{ statusCode, code, error, message }`. */
export class HttpError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly retryAfterSeconds?: number

  constructor(
    statusCode: number,
    code: string,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {}
  ) {
    super(message, { cause: options.cause })
    this.name = 'HttpError'
    this.statusCode = statusCode
    this.code = code
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds
  }
}

export const badRequest = (message: string) => new HttpError(400, 'VALIDATION_ERROR', message)

export const serviceUnavailable = (message: string, cause?: unknown) =>
  new HttpError(503, 'SERVICE_UNAVAILABLE', message, { retryAfterSeconds: 5, cause })
