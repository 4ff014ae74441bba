import type { Static, TObject } from 'typebox'
import Value from 'typebox/value'

/** Thrown at start-up when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/**
 * Reads a service's configuration from environment variables once, at start-up: fills defaults,
 * converts strings to the schema's types, drops unrelated variables and fails naming every
 * variable that is wrong. The returned type is derived from the schema.
 */
export function loadConfig<Schema extends TObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env
): Static<Schema> {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== '')
  )
  const value = Value.Clean(schema, Value.Convert(schema, Value.Default(schema, defined)))
  if (Value.Check(schema, value)) return value

  const problems = new Map<string, string>()
  for (const error of Value.Errors(schema, value)) {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties
    if (error.keyword === 'required' && missing) {
      for (const name of missing) problems.set(name, `${name} is required`)
      continue
    }
    const name = error.instancePath.replace(/^\//, '')
    // anyOf reports one line per branch; the first line about a variable says enough.
    if (!problems.has(name)) {
      // A secret (marked writeOnly) is named but never echoed: this message goes to the log.
      const secret = (schema.properties[name] as { writeOnly?: boolean } | undefined)?.writeOnly
      const shown = secret ? name : `${name}=${JSON.stringify(env[name])}`
      problems.set(name, `${shown} ${error.message}`)
    }
  }
  throw new ConfigError([...problems.values()])
}
