import AjvCompiler from '@fastify/ajv-compiler'
import { customFormats } from '@streaming/contracts'
import type { Ajv } from 'ajv'
import type { FastifyServerOptions } from 'fastify'

const ajvOptions = {
  removeAdditional: false,
  // Ajv compares `value / multipleOf` with its rounding at this many digits: 6 accepts every
  // amount in cents up to the schema's maximum (19.9 / 0.01 is not exactly 1990 in binary) and
  // still refuses a third decimal.
  multipleOfPrecision: 6,
  useDefaults: true,
  allErrors: false
} as const

const withFormats = (ajv: Ajv) => {
  for (const [name, check] of Object.entries(customFormats)) ajv.addFormat(name, check)
  return ajv
}

/** What @fastify/ajv-compiler's pool takes and returns at run time (its types say less). */
interface RouteDefinition {
  schema: unknown
  httpPart?: string
}
type Compile = (route: RouteDefinition) => unknown
type CompilerPool = (externalSchemas: unknown, options: Record<string, unknown>) => Compile
const pool = AjvCompiler() as unknown as CompilerPool

/**
 * The gateway's validators. Path, query string and headers are text, so their values are
 * coerced to the schema's types (`?user_id=7` is the integer 7). A JSON body has types of its
 * own and is taken as sent: coercion there would turn `null` into 0, false or "" and accept it.
 */
export const schemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator: ((externalSchemas: unknown, options: Record<string, unknown>) => {
      const build = (coerceTypes: false | 'array') =>
        pool(externalSchemas, {
          ...options,
          customOptions: { ...ajvOptions, coerceTypes },
          plugins: [withFormats]
        })
      const coercing = build('array')
      const strict = build(false)
      return (route: RouteDefinition) =>
        route.httpPart === 'body' ? strict(route) : coercing(route)
    }) as never
  }
}
