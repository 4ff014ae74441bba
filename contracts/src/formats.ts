import Format from 'typebox/format'
import { isValidCpf } from './cpf.ts'

/**
 * String formats of the contracts beyond JSON Schema's own. The gateway hands them to Fastify's
 * validator; `registerFormats` teaches them to TypeBox, which validates Kafka messages.
 */
export const customFormats = {
  cpf: isValidCpf
} as const

export function registerFormats(): void {
  for (const [name, check] of Object.entries(customFormats)) Format.Set(name, check)
}

registerFormats()
