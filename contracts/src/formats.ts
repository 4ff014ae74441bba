import Format from 'typebox/format'
import { isValidCpf } from './cpf.ts'

// C0 controls but tab and line breaks, DEL, and lone UTF-16 surrogates (in `u` mode a paired
// surrogate is one code point, outside this class). NUL alone is refused by PostgreSQL's text.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const notPrintable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF]/u

/** Text a person wrote: no control characters, and encodable as UTF-8. */
export const isPrintableText = (value: string): boolean => !notPrintable.test(value)

/**
 * String formats of the contracts beyond JSON Schema's own. The gateway hands them to Fastify's
 * validator; `registerFormats` teaches them to TypeBox, which validates Kafka messages.
 */
export const customFormats = {
  cpf: isValidCpf,
  'printable-text': isPrintableText
} as const

export function registerFormats(): void {
  for (const [name, check] of Object.entries(customFormats)) Format.Set(name, check)
}

registerFormats()
