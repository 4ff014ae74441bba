import { operations, requestEventTypes, type RequestEventType } from '@streaming/contracts'

// How the monitor's indices, templates and aliases are named. Which index a document goes to is
// decided in documents.ts; the names themselves, and their prefix, live here.

const knownEventTypes = new Set<string>(requestEventTypes)

const namesByPrefix = new Map<string, ReturnType<typeof computeIndexNames>>()

/** The index names of one prefix (the platform's is `api_`). */
export function indexNames(prefix: string) {
  let names = namesByPrefix.get(prefix)
  if (!names) {
    names = computeIndexNames(prefix)
    namesByPrefix.set(prefix, names)
  }
  return names
}

function computeIndexNames(prefix: string) {
  const entities = [...new Set(requestEventTypes.map((type) => operations[type].entity))]
  return {
    /** Every request index, one per entity. */
    requests: entities.map((entity) => `${prefix}${entity}`),
    /** Every reply index, one per operation (plus one for replies to unknown operations). */
    responses: [...requestEventTypes, 'unknown'].map((type) => `${prefix}${type}_responses`),
    responsesPattern: `${prefix}*_responses`,
    deadLetters: `${prefix}dead_letters`,
    malformed: `${prefix}malformed`,
    pattern: `${prefix}*`,
    aliases: {
      all: `${prefix}all_logs`,
      requests: `${prefix}requests`,
      responses: `${prefix}responses`
    }
  }
}

export type IndexNames = ReturnType<typeof computeIndexNames>

export const isValidIndexPrefix = (prefix: string): boolean => /^[a-z0-9][a-z0-9_.-]*$/.test(prefix)

/** Requests go to the index of the entity they are about (the operation table's `entity`). */
export const requestIndex = (prefix: string, eventType: RequestEventType): string =>
  `${prefix}${operations[eventType].entity}`

/** A reply's index is named after its operation; unknown operations share one index. */
export const replyIndex = (prefix: string, originalEventType: string): string =>
  `${prefix}${knownEventTypes.has(originalEventType) ? originalEventType : 'unknown'}_responses`
