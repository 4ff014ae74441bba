import { httpErrorCatalogue, httpErrorCodesOf, type HttpErrorCodeOf } from '@streaming/contracts'

/**
 * The error codes the gateway answers: the catalogue's (contracts' error-codes.ts) answered by
 * the gateway. Every error the gateway raises takes its code, and so its status, from there (see
 * errors.ts), and the OpenAPI document lists them (the `code` enum of ErrorResponse, and per
 * status the codes it can carry), so a client can switch on `code` knowing the list is complete.
 */
export type ErrorCodeName = HttpErrorCodeOf<'gateway'>

export const errorCodes: readonly ErrorCodeName[] = httpErrorCodesOf('gateway')

export const statusOf = (code: ErrorCodeName): number => httpErrorCatalogue[code].status

/** The codes an answer of this status can carry, as Markdown for a response's description. */
export function describeCodes(
  status: number,
  codes: readonly ErrorCodeName[] = errorCodes
): string {
  return codes
    .filter((code) => httpErrorCatalogue[code].status === status)
    .map((code) => `\`${code}\`: ${httpErrorCatalogue[code].meaning}`)
    .join('; ')
}
