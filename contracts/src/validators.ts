import type { TSchema } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'

const compiled = new WeakMap<TSchema, unknown>()

/**
 * The compiled validator of a schema, built on first use and kept: every message and request is
 * checked against one of a handful of schemas, and a compiled check costs a fraction of
 * `Value.Check`, which walks the schema at every call.
 */
export function validatorOf<T extends TSchema>(schema: T): Validator<{}, T> {
  const known = compiled.get(schema) as Validator<{}, T> | undefined
  if (known) return known
  const validator = Compile<T, Validator<{}, T>>(schema)
  compiled.set(schema, validator)
  return validator
}
