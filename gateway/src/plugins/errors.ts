import {
  createErrorHandler,
  describeIssue,
  errorBody,
  HttpErrorCode,
  isRedisRefusingForNow,
  isRedisUnreachable
} from '@streaming/contracts'
import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.ts'

const REDIS_RETRY_AFTER_SECONDS = 5

/** Fastify's own 4xx errors, with the codes and Portuguese messages of the platform. */
const fastifyErrors: Record<string, { code: string; message: (limit: number) => string }> = {
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

/** Every error as `{ statusCode, code, error, message }`, the message in Portuguese; 5xx details stay in the log. */
export default fp(
  async (app: FastifyInstance) => {
    const fallback = createErrorHandler('gateway')
    // Only JSON bodies: a text/plain one would reach validation as a string instead of a 415.
    app.removeContentTypeParser('text/plain')

    app.setSchemaErrorFormatter((errors, dataVar) => {
      return new Error(errors.map((issue) => describeIssue(issue, dataVar)).join('; '))
    })

    app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
      // A request no route takes failed on its way to the not-found handler (a body-carrying
      // method such as QUERY without a Content-Type): it still gets its 404 or 405.
      if (request.is404 && app.answerUnrouted) return app.answerUnrouted(request, reply)
      if (err instanceof HttpError) {
        if (err.retryAfterSeconds !== undefined) {
          reply.header('Retry-After', String(err.retryAfterSeconds))
        }
        if (err.statusCode >= 500) request.log.warn({ err }, err.message)
        return reply.code(err.statusCode).send(errorBody(err.statusCode, err.code, err.message))
      }
      if (err.validation) {
        const shadowed =
          err.validationContext === 'params' ? app.answerShadowed?.(request, reply) : undefined
        if (shadowed) return shadowed
        // The formatter above wrote the message already, naming every field.
        return reply.code(400).send(errorBody(400, HttpErrorCode.validation, err.message))
      }
      if (isRedisRefusingForNow(err) || isRedisUnreachable(err)) {
        // The status store is a dependency like Kafka: a bounded, explained 503, not a 500.
        request.log.warn({ err }, 'Redis did not take the request')
        reply.header('Retry-After', String(REDIS_RETRY_AFTER_SECONDS))
        return reply
          .code(503)
          .send(
            errorBody(
              503,
              'SERVICE_UNAVAILABLE',
              'O armazenamento de status (Redis) não está aceitando a operação agora; tente novamente em alguns segundos'
            )
          )
      }
      const known = err.code ? fastifyErrors[err.code] : undefined
      if (known && err.statusCode) {
        return reply
          .code(err.statusCode)
          .send(
            errorBody(err.statusCode, known.code, known.message(app.initialConfig.bodyLimit ?? 0))
          )
      }
      return fallback(err, request, reply)
    })
  },
  { name: 'errors' }
)
