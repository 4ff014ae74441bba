import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.ts'

// `fatal`: a byte sequence that is not UTF-8 is an error, where the default decoding would turn
// it into U+FFFD and let a corrupted value through as if the client had sent it.
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The first key that would reach an object's prototype once the body is merged or copied
 * (`__proto__`, or `constructor.prototype`), as Fastify's own JSON parser refuses by default.
 * Iterative: a deeply nested body must not exhaust the stack.
 */
function prototypeKey(root: unknown): string | undefined {
  const pending: unknown[] = [root]
  while (pending.length > 0) {
    const node = pending.pop()
    if (typeof node !== 'object' || node === null) continue
    if (Object.hasOwn(node, '__proto__')) return '__proto__'
    if (Object.hasOwn(node, 'constructor')) {
      const ctor: unknown = (node as { constructor: unknown }).constructor
      if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) {
        return 'constructor.prototype'
      }
    }
    for (const value of Object.values(node)) {
      if (typeof value === 'object' && value !== null) pending.push(value)
    }
  }
  return undefined
}

/** Parses a JSON body; an empty one is no body (every field may come from the query string). */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  let text: string
  try {
    text = utf8.decode(raw)
  } catch {
    throw new HttpError('INVALID_UTF8', 'o corpo não é UTF-8 válido')
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new HttpError('INVALID_JSON', `o corpo não é JSON válido: ${(err as Error).message}`)
  }
  const forbidden = prototypeKey(body)
  if (forbidden) {
    throw new HttpError(
      'FORBIDDEN_PROPERTY',
      `o corpo contém uma propriedade proibida: '${forbidden}'`
    )
  }
  return body
}

/**
 * The `application/json` parser: strict UTF-8, prototype-poisoning keys refused, the body limit
 * of the app (413 beyond it), an empty body taken as none.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser('application/json')
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as Buffer))
      } catch (err) {
        done(err as Error, undefined)
      }
    })
  },
  { name: 'json-body', dependencies: ['errors'] }
)
