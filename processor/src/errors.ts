import { ErrorCode, type ErrorCodeValue } from '@streaming/contracts'
import { isRedisRefusingForNow } from '@streaming/runtime'

/**
 * An operation that failed. `retryable` decides what the processor does with it: retry with
 * backoff (then dead-letter when retries run out) or answer an error reply at once.
 */
export class OperationError extends Error {
  readonly code: ErrorCodeValue
  readonly retryable: boolean

  constructor(
    code: ErrorCodeValue,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {}
  ) {
    super(message, { cause: options.cause })
    this.name = 'OperationError'
    this.code = code
    this.retryable = options.retryable ?? false
  }
}

export const userNotFound = (userId: number) =>
  new OperationError(ErrorCode.userNotFound, `Usuário ${userId} não encontrado`)

export const duplicate = (message: string, cause?: unknown) =>
  new OperationError(ErrorCode.duplicate, message, { cause })

export const invalidRequest = (message: string) =>
  new OperationError(ErrorCode.invalidRequest, message)

export const sessionNotFound = (sessionId: string) =>
  new OperationError(ErrorCode.sessionNotFound, `Sessão ${sessionId} não encontrada ou expirada`)

export const storeUnavailable = (store: string, cause: unknown) =>
  new OperationError(
    ErrorCode.storeUnavailable,
    `${store} indisponível no momento; tente novamente`,
    {
      retryable: true,
      cause
    }
  )

const transientNetworkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN'
])

/** True when a driver error says the store could not be reached or answered too late. */
/**
 * Server answers of MongoDB that say "not now" rather than "never": the retryable codes of the
 * drivers' specification, and InternalError, which FerretDB answers while its backend
 * (PostgreSQL, in the native stack) is unreachable.
 */
const transientMongoCodes = new Set([
  1, 6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436
])

export function isTransientStoreError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && transientNetworkCodes.has(code)) return true
  // PostgreSQL: connection exceptions (08xxx), shutdown in progress (57P0x), serialization/deadlock.
  if (typeof code === 'string' && /^(08|57P0|40001|40P01)/.test(code)) return true
  const name = err.name
  if (/^Mongo(Network|ServerSelection|NotConnected|Timeout|PoolCleared)/.test(name)) return true
  if (name === 'MongoServerError' && typeof code === 'number' && transientMongoCodes.has(code)) {
    return true
  }
  if (name === 'MaxRetriesPerRequestError' || isRedisRefusingForNow(err)) return true
  return /Connection terminated|Connection is closed|timeout exceeded when trying to connect/i.test(
    err.message
  )
}

/**
 * Wraps a store call: transient failures become a retryable OperationError naming the store,
 * other errors pass through unchanged.
 */
export async function callStore<T>(store: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof OperationError) throw err
    if (isTransientStoreError(err)) throw storeUnavailable(store, err)
    throw err
  }
}
