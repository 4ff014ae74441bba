import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.ts'

type ValidationIssue = NonNullable<FastifyError['validation']>[number]

/** One validation problem as a sentence that names the field, e.g. `body.plano must be one of …`. */
export function describeValidationIssue(issue: ValidationIssue, dataVar: string): string {
  const path = [dataVar, ...issue.instancePath.split('/').filter(Boolean)].join('.')
  const params = issue.params as Record<string, unknown>
  switch (issue.keyword) {
    case 'required':
      return `${path}.${String(params.missingProperty)} is required`
    case 'additionalProperties':
      return `${path} has an unknown field '${String(params.additionalProperty)}'`
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`
    default:
      return `${path} ${issue.message ?? 'is invalid'}`
  }
}

/** Every error as `{ statusCode, code, error, message }`; 5xx details stay in the log. */
export default fp(
  async (app: FastifyInstance) => {
    app.setSchemaErrorFormatter((errors, dataVar) => {
      return new Error(errors.map((issue) => describeValidationIssue(issue, dataVar)).join('; '))
    })

    app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
      if (err instanceof HttpError) {
        if (err.retryAfterSeconds !== undefined) {
          reply.header('Retry-After', String(err.retryAfterSeconds))
        }
        if (err.statusCode >= 500) request.log.warn({ err }, err.message)
        return reply.code(err.statusCode).send({
          statusCode: err.statusCode,
          code: err.code,
          error: STATUS_CODES[err.statusCode] ?? 'Error',
          message: err.message
        })
      }
      const statusCode = err.validation ? 400 : (err.statusCode ?? 500)
      if (statusCode >= 500) {
        request.log.error({ err }, 'request failed')
        return reply.code(500).send({
          statusCode: 500,
          code: 'INTERNAL_ERROR',
          error: 'Internal Server Error',
          message: 'Internal error; see the gateway log'
        })
      }
      return reply.code(statusCode).send({
        statusCode,
        code: err.validation ? 'VALIDATION_ERROR' : (err.code ?? 'BAD_REQUEST'),
        error: statusCode === 413 ? 'Payload Too Large' : 'Bad Request',
        message: err.message
      })
    })

    app.setNotFoundHandler((request, reply) => {
      return reply.code(404).send({
        statusCode: 404,
        code: 'ROUTE_NOT_FOUND',
        error: 'Not Found',
        message: `No route ${request.method} ${request.url}`
      })
    })
  },
  { name: 'errors' }
)
