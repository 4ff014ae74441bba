import { HttpErrorCode } from '@streaming/contracts'
import {
  createErrorHandler,
  isRedisRefusingForNow,
  isRedisUnreachable,
  type ErrorTranslation
} from '@streaming/runtime'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ErrorCodeName } from '../error-codes.ts'
import { HttpError } from '../errors.ts'

const REDIS_RETRY_AFTER_SECONDS = 5

/** Fastify's own body errors, said the gateway's way: it takes JSON bodies only. */
const bodyErrors: Record<string, { code: ErrorCodeName; message: (limit: number) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: HttpErrorCode.payloadTooLarge,
    message: (limit) => `O corpo da requisição passa do máximo aceito de ${limit} bytes`
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: HttpErrorCode.unsupportedMediaType,
    message: () => 'Tipo de conteúdo não suportado: envie o corpo como application/json'
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: HttpErrorCode.badRequest,
    message: () => 'O Content-Length não corresponde ao tamanho do corpo'
  }
}

/** The gateway's own errors, before the platform's common handling (contracts/http-errors). */
const translateGatewayError: ErrorTranslation = (err, request) => {
  if (err instanceof HttpError) {
    if (err.statusCode >= 500) request.log.warn({ err }, err.message)
    return err
  }
  if (isRedisRefusingForNow(err) || isRedisUnreachable(err)) {
    // The status store is a dependency like Kafka: a bounded, explained 503, not a 500.
    request.log.warn({ err }, 'Redis did not take the request')
    return new HttpError(
      'SERVICE_UNAVAILABLE',
      'O armazenamento de status (Redis) não está aceitando a operação agora; tente novamente em alguns segundos',
      { retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS }
    )
  }
  const known = err.code ? bodyErrors[err.code] : undefined
  if (known && err.statusCode) {
    const limit = request.server.initialConfig.bodyLimit ?? 0
    return new HttpError(known.code, known.message(limit))
  }
  return undefined
}

/** Every error as `{ statusCode, code, error, message }`, the message in Portuguese; 5xx details stay in the log. */
export default fp(
  async (app: FastifyInstance) => {
    // Only JSON bodies: a text/plain one would reach validation as a string instead of a 415.
    app.removeContentTypeParser('text/plain')
    app.setErrorHandler(createErrorHandler('gateway', translateGatewayError))
  },
  { name: 'errors' }
)
