import { maxHeaderSize, STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { HttpErrorCode, MAX_URL_LENGTH, type HttpErrorCodeName } from '@streaming/contracts'
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError
} from 'fastify'
import Fastify, { type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import FindMyWay from 'find-my-way'

/** The platform's error shape, on all three services. */
export interface ErrorBody {
  statusCode: number
  error: string
  code: string
  message: string
}

export function errorBody(statusCode: number, code: HttpErrorCodeName, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message }
}

/** Answers an error in the platform's shape. */
export const sendError = (
  reply: FastifyReply,
  statusCode: number,
  code: HttpErrorCodeName,
  message: string
) => reply.code(statusCode).send(errorBody(statusCode, code, message))

const pathOf = (url: string) => url.split('?', 1)[0] ?? url

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const byMethodOrder = (a: string, b: string) => {
  const rank = (method: string) => {
    const index = METHOD_ORDER.indexOf(method)
    return index === -1 ? METHOD_ORDER.length : index
  }
  return rank(a) - rank(b) || a.localeCompare(b)
}

const noop = () => {}

/**
 * 404 for an unknown path, 405 with `Allow` for a known path with a method it does not declare,
 * 414 for a URL past MAX_URL_LENGTH; register it before the routes, which it learns as they are
 * added. A catch-all route (`*`, as @fastify/cors adds for OPTIONS) makes its method allowed on
 * every known path without making any unknown path known.
 */
export const httpErrors = fp(
  async (app: FastifyInstance) => {
    const config = app.initialConfig
    const routerOptions: FindMyWay.Config<FindMyWay.HTTPVersion.V1> & {
      useSemicolonDelimiter: boolean
    } = {
      caseSensitive: config.caseSensitive ?? true,
      ignoreTrailingSlash: config.ignoreTrailingSlash ?? false,
      ignoreDuplicateSlashes: config.ignoreDuplicateSlashes ?? false,
      useSemicolonDelimiter: config.useSemicolonDelimiter ?? false,
      // A path with an over-long parameter is still that path (Fastify answers its own method).
      maxParamLength: MAX_URL_LENGTH,
      querystringParser: () => ({})
    }
    const routes = FindMyWay(routerOptions)
    const methods = new Set<string>()
    const everywhere = new Set<string>()
    /** Methods of each path without parameters, e.g. `/recomendacoes/gerar` → POST. */
    const staticPaths = new Map<string, Set<string>>()

    app.addHook('onRoute', (route) => {
      const routeMethods = Array.isArray(route.method) ? route.method : [route.method]
      if (route.url === '*' || route.url === '/*') {
        for (const method of routeMethods) everywhere.add(method)
        return
      }
      // `/` in a prefixed plugin is both `/prefix` and `/prefix/`; Fastify reports only the first.
      const { routePath, prefixTrailingSlash } = route as { routePath?: string } & typeof route
      const urls =
        routePath === '' && (prefixTrailingSlash ?? 'both') === 'both'
          ? [route.url, `${route.url}/`]
          : [route.url]
      for (const method of routeMethods) {
        methods.add(method)
        for (const url of urls) {
          if (!/[:*]/.test(url)) {
            staticPaths.set(url, (staticPaths.get(url) ?? new Set()).add(method))
          }
          try {
            routes.on(method as FindMyWay.HTTPMethod, url, noop)
          } catch {
            // Already known (the trailing-slash twin under ignoreTrailingSlash).
          }
        }
      }
    })

    app.addHook('onRequest', (request, reply, done) => {
      const length = request.raw.url?.length ?? 0
      if (length <= MAX_URL_LENGTH) return done()
      sendError(
        reply,
        414,
        HttpErrorCode.uriTooLong,
        `A URL tem ${length} caracteres; o máximo aceito é ${MAX_URL_LENGTH}`
      )
    })

    const answerUnrouted = (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.raw.url ?? request.url
      const allowed = [...methods].filter((method) => routes.find(method as never, url) !== null)
      const path = pathOf(request.url)
      // A handler that declined (reply.callNotFound()) is not a missing method.
      if (allowed.length === 0 || allowed.includes(request.method)) {
        return sendError(
          reply,
          404,
          HttpErrorCode.routeNotFound,
          `Rota não encontrada: ${request.method} ${path}`
        )
      }
      return methodNotAllowed(request, reply, allowed)
    }

    const methodNotAllowed = (request: FastifyRequest, reply: FastifyReply, allowed: string[]) => {
      for (const method of everywhere) if (!allowed.includes(method)) allowed.push(method)
      allowed.sort(byMethodOrder)
      const path = pathOf(request.url)
      reply.header('allow', allowed.join(', '))
      return sendError(
        reply,
        405,
        HttpErrorCode.methodNotAllowed,
        `O método ${request.method} não é permitido em ${path}; métodos permitidos: ${allowed.join(', ')}`
      )
    }

    /**
     * A path that is declared as such for other methods, reached with this one only through a
     * route's parameter (`GET /recomendacoes/gerar` taken as `GET /recomendacoes/{user_id}`):
     * its path parameters fail validation, and the answer is the 405 of that path.
     */
    const answerShadowed = (request: FastifyRequest, reply: FastifyReply) => {
      const declared = staticPaths.get(pathOf(request.url))
      if (!declared || declared.has(request.method)) return undefined
      return methodNotAllowed(request, reply, [...declared])
    }
    app.setNotFoundHandler(answerUnrouted)
    // For the error handlers: a request that failed on its way to the not-found handler.
    app.decorate('answerUnrouted', answerUnrouted)
    app.decorate('answerShadowed', answerShadowed)
  },
  { name: 'http-errors', fastify: '5.x' }
)

declare module 'fastify' {
  interface FastifyInstance {
    /** The 404 or 405 of a request no route takes (see httpErrors). */
    answerUnrouted?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply
    /** The 405 of a declared path whose parameters failed validation for another method's route. */
    answerShadowed?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined
  }
}

const requestLine = /^[A-Z-]+ (\S*)/

/**
 * Fastify's `clientErrorHandler` server option: answers, in the platform's shape, what Node's
 * parser refuses before any routing. A request head past Node's limit (`maxHeaderSize`, 16 KiB)
 * is 414 when its request line alone is past MAX_URL_LENGTH, 431 otherwise.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  err: ConnectionError,
  socket: Socket
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  let body: ErrorBody
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const packet: unknown = err.rawPacket
    const head = Buffer.isBuffer(packet) ? packet.toString('latin1', 0, MAX_URL_LENGTH + 64) : ''
    const target = requestLine.exec(head)?.[1] ?? ''
    body =
      target.length > MAX_URL_LENGTH
        ? errorBody(
            414,
            HttpErrorCode.uriTooLong,
            `A URL passa do máximo aceito de ${MAX_URL_LENGTH} caracteres`
          )
        : errorBody(
            431,
            HttpErrorCode.headersTooLarge,
            `Os cabeçalhos da requisição passam do máximo aceito de ${maxHeaderSize} bytes`
          )
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    body = errorBody(
      408,
      HttpErrorCode.requestTimeout,
      'A requisição não chegou completa dentro do prazo'
    )
  } else {
    body = errorBody(400, HttpErrorCode.badRequest, 'Requisição HTTP malformada')
  }
  this.log.info(
    { err: { code: err.code, message: err.message }, statusCode: body.statusCode },
    'client error answered before routing'
  )
  // Never into the middle of a response already under way on this connection (as Node does).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (socket.writable && !inFlight?.headersSent) {
    const json = JSON.stringify(body)
    socket.write(
      `HTTP/1.1 ${body.statusCode} ${body.error}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`
    )
  }
  socket.destroy(err)
}

/**
 * Fastify's `frameworkErrors` server option: what the router refuses before any route (a URL
 * that does not decode, a path parameter past `maxParamLength`), in the platform's shape.
 */
export function frameworkErrors(
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply
): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const max = request.server.initialConfig.maxParamLength ?? 100
    sendError(
      reply,
      414,
      HttpErrorCode.uriTooLong,
      `Um parâmetro do caminho passa do máximo aceito de ${max} caracteres`
    )
  } else if (err.code === 'FST_ERR_BAD_URL') {
    sendError(reply, 400, HttpErrorCode.badUrl, `URL inválida: ${pathOf(request.url)}`)
  } else {
    request.log.error({ err }, 'request failed before routing')
    sendError(reply, 500, HttpErrorCode.internal, 'Erro interno; os detalhes estão no log')
  }
}

/** The server options every service passes to `Fastify()`. */
export const httpServerOptions = { clientErrorHandler, frameworkErrors }

/**
 * The HTTP server of a worker service (processor, monitor): the platform's error answers and
 * `GET /` with its name and version. Register the routes in a plugin (`server.register(...)`),
 * so that httpErrors, loaded first, learns them.
 */
export function createServiceServer(options: {
  name: string
  version: string
  logger: FastifyServerOptions['loggerInstance']
  logController?: FastifyServerOptions['logController']
}) {
  const server = Fastify({
    loggerInstance: options.logger,
    ...(options.logController ? { logController: options.logController } : {}),
    ...httpServerOptions
  })
  server.setErrorHandler(createErrorHandler(options.name))
  server.register(httpErrors)
  server.register(async (routes) => {
    routes.get('/', async () => ({
      name: `streaming-platform-${options.name}`,
      version: options.version,
      status: 'ok'
    }))
  })
  return server
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'um número inteiro',
  number: 'um número',
  string: 'um texto',
  boolean: 'verdadeiro ou falso',
  array: 'uma lista',
  object: 'um objeto',
  null: 'nulo'
}

/** One validation problem as a Portuguese sentence naming the field, e.g. `querystring.limit …`. */
export function describeIssue(issue: FastifySchemaValidationError, dataVar: string): string {
  const path = [dataVar, ...issue.instancePath.split('/').filter(Boolean)].join('.')
  const params = issue.params as Record<string, unknown>
  switch (issue.keyword) {
    case 'required':
      return `${path}.${String(params.missingProperty)} é obrigatório`
    case 'additionalProperties':
      return `${path} tem um campo desconhecido: '${String(params.additionalProperty)}'`
    case 'enum':
      return `${path} deve ser um destes valores: ${(params.allowedValues as unknown[]).map(String).join(', ')}`
    case 'type':
      return `${path} deve ser ${String(params.type)
        .split(',')
        .map((type) => TYPE_NAMES[type] ?? type)
        .join(' ou ')}`
    case 'minimum':
      return `${path} deve ser no mínimo ${String(params.limit)}`
    case 'maximum':
      return `${path} deve ser no máximo ${String(params.limit)}`
    case 'exclusiveMinimum':
      return `${path} deve ser maior que ${String(params.limit)}`
    case 'exclusiveMaximum':
      return `${path} deve ser menor que ${String(params.limit)}`
    case 'minLength':
      return `${path} deve ter pelo menos ${String(params.limit)} caracteres`
    case 'maxLength':
      return `${path} deve ter no máximo ${String(params.limit)} caracteres`
    case 'multipleOf':
      return `${path} deve ser múltiplo de ${String(params.multipleOf)}`
    case 'format':
    case 'pattern':
      return `${path} não está no formato esperado`
    default:
      return `${path} é inválido`
  }
}

/** Codes and messages of the 4xx errors Fastify raises itself (its own texts are English). */
const CLIENT_ERRORS: Record<number, [HttpErrorCodeName, string]> = {
  400: [HttpErrorCode.badRequest, 'Requisição inválida'],
  406: [
    HttpErrorCode.notAcceptable,
    'Nenhum formato de resposta aceito pelo cliente está disponível'
  ],
  413: [HttpErrorCode.payloadTooLarge, 'O corpo da requisição passa do tamanho máximo aceito'],
  415: [HttpErrorCode.unsupportedMediaType, 'Tipo de conteúdo não suportado'],
  429: [HttpErrorCode.rateLimited, 'Requisições demais; tente de novo mais tarde']
}

/** A service's own errors (typed errors, a dependency's failures) in the platform's terms. */
export interface TranslatedError {
  statusCode: number
  code: HttpErrorCodeName
  message: string
  retryAfterSeconds?: number
}

export type ErrorTranslation = (
  err: FastifyError,
  request: FastifyRequest
) => TranslatedError | undefined

/**
 * An error handler answering in the platform's shape: what `translate` knows of the service's
 * own errors first, then 400 naming the field for bad input, other 4xx with their status, 5xx as
 * a 500 whose details stay in the log (`service` names that log).
 */
export function createErrorHandler(service: string, translate?: ErrorTranslation) {
  return function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    // A request no route takes that failed before the not-found handler (a body-carrying method
    // such as QUERY without a Content-Type): still its 404 or 405.
    if (request.is404 && request.server.answerUnrouted) {
      return request.server.answerUnrouted(request, reply)
    }
    const translated = translate?.(err, request)
    if (translated) {
      if (translated.retryAfterSeconds !== undefined) {
        reply.header('Retry-After', String(translated.retryAfterSeconds))
      }
      return sendError(reply, translated.statusCode, translated.code, translated.message)
    }
    if (err.validation) {
      const shadowed =
        err.validationContext === 'params'
          ? request.server.answerShadowed?.(request, reply)
          : undefined
      if (shadowed) return shadowed
      const message = err.validation
        .map((issue) => describeIssue(issue, err.validationContext ?? 'request'))
        .join('; ')
      return sendError(reply, 400, HttpErrorCode.validation, message)
    }
    const statusCode = err.statusCode ?? 500
    if (statusCode < 400 || statusCode >= 500) {
      request.log.error({ err }, 'request failed')
      return sendError(
        reply,
        500,
        HttpErrorCode.internal,
        `Erro interno; os detalhes estão no log do ${service}`
      )
    }
    const [code, message] = CLIENT_ERRORS[statusCode] ?? [
      HttpErrorCode.badRequest,
      `Requisição recusada (status ${statusCode})`
    ]
    return sendError(reply, statusCode, code, message)
  }
}
