import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.ts'

const decodes = (component: string): boolean => {
  try {
    decodeURIComponent(component)
    return true
  } catch {
    return false
  }
}

/**
 * The problem with a raw query string, naming the parameter: a `%` not followed by two hex
 * digits, or percent-encoded bytes that are not UTF-8. Fastify's parser keeps such a component
 * as its raw text (`%C3%28`), so without this check it would be taken as the client's value.
 */
export function queryStringProblem(query: string): string | undefined {
  if (!query.includes('%')) return undefined
  for (const pair of query.split('&')) {
    const separator = pair.indexOf('=')
    const name = separator === -1 ? pair : pair.slice(0, separator)
    const value = separator === -1 ? '' : pair.slice(separator + 1)
    if (!decodes(name)) {
      return 'a query string tem um nome de parâmetro que não é UTF-8 válido codificado com %'
    }
    if (!decodes(value)) {
      return `querystring.${decodeURIComponent(name)} não é UTF-8 válido codificado com %`
    }
  }
  return undefined
}

/** Answers 400 to a request whose query string is not valid percent-encoded UTF-8. */
export default fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      const url = request.raw.url ?? ''
      const start = url.indexOf('?')
      if (start === -1) return
      const problem = queryStringProblem(url.slice(start + 1))
      if (problem) throw new HttpError('INVALID_QUERY_STRING', problem)
    })
  },
  { name: 'query-string', dependencies: ['errors'] }
)
