import type { Client } from '@elastic/elasticsearch'
import { indexNames } from './index-names.ts'

/**
 * The mapping of every monitor index (SPEC "Monitor guarantees"). `dynamic: false` keeps fields
 * outside it in _source without indexing them, so no event can grow or break the mapping.
 * Templates apply to indices as they are created, and the indices are long-lived (one per entity
 * or operation), so `ensureTemplates` also adds new fields to the indices that exist already.
 */
export const eventMapping = {
  dynamic: false,
  properties: {
    timestamp: { type: 'date' },
    kafka_timestamp: { type: 'date' },
    indexed_at: { type: 'date' },
    transaction_id: { type: 'keyword' },
    // Text, not a number: ids have up to 16 digits, and a keyword matches them exactly.
    user_id: { type: 'keyword' },
    event_id: { type: 'keyword' },
    event_type: { type: 'keyword' },
    original_event_type: { type: 'keyword' },
    operation: { type: 'keyword' },
    source: { type: 'keyword' },
    target: { type: 'keyword' },
    status: { type: 'keyword' },
    topic: { type: 'keyword' },
    partition: { type: 'integer' },
    offset: { type: 'long' },
    key: { type: 'keyword', ignore_above: 256 },
    message: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    latency_ms: { type: 'double' },
    duration_ms: { type: 'double' },
    malformed: { type: 'boolean' },
    error: { type: 'text' },
    error_code: { type: 'keyword' },
    raw: { type: 'text', index: false },
    raw_encoding: { type: 'keyword' },
    payload: { type: 'object', enabled: false },
    headers: { type: 'object', enabled: false }
  }
} as const

export interface TemplateOptions {
  prefix: string
  replicas: number
}

/** Template names of a prefix (`api_` → `api_mapping`, `api_all`, `api_requests`, `api_responses`). */
export const templateNames = (prefix: string) => ({
  component: `${prefix}mapping`,
  all: `${prefix}all`,
  requests: `${prefix}requests`,
  responses: `${prefix}responses`
})

/**
 * Creates (or brings up to date) the templates every monitor index is created from: one component
 * template with the mapping and settings, and index templates by name pattern that add the
 * aliases. Only the highest-priority index template applies to an index, so each names every
 * alias its indices belong to. Idempotent: PUT replaces a template with the same content.
 */
export async function ensureTemplates(
  client: Client,
  { prefix, replicas }: TemplateOptions,
  options: { requestTimeout?: number } = {}
): Promise<void> {
  const names = indexNames(prefix)
  const templates = templateNames(prefix)
  const meta = { managed_by: 'streaming-platform monitor' }
  await client.cluster.putComponentTemplate(
    {
      name: templates.component,
      _meta: meta,
      template: {
        settings: { number_of_shards: 1, number_of_replicas: replicas },
        mappings: eventMapping
      }
    },
    options
  )
  const all = { [names.aliases.all]: {} }
  const indexTemplates = [
    // Everything: dead letters, malformed events, and any index of the prefix yet to come.
    { name: templates.all, index_patterns: [names.pattern], priority: 100, aliases: all },
    {
      name: templates.requests,
      index_patterns: names.requests,
      priority: 200,
      aliases: { ...all, [names.aliases.requests]: {} }
    },
    {
      name: templates.responses,
      index_patterns: [names.responsesPattern],
      priority: 200,
      aliases: { ...all, [names.aliases.responses]: {} }
    }
  ]
  for (const template of indexTemplates) {
    await client.indices.putIndexTemplate(
      {
        name: template.name,
        index_patterns: template.index_patterns,
        priority: template.priority,
        composed_of: [templates.component],
        template: { aliases: template.aliases },
        _meta: meta
      },
      options
    )
  }
  // Fields added to the mapping since an index was created (adding a field is always allowed;
  // documents indexed before it stay without it until they are indexed again).
  await client.indices.putMapping(
    {
      index: names.pattern,
      allow_no_indices: true,
      ignore_unavailable: true,
      properties: eventMapping.properties
    },
    options
  )
}

/** Removes the templates and every index of a prefix (tests and benchmarks clean up with it). */
export async function deletePrefix(client: Client, prefix: string): Promise<void> {
  const templates = templateNames(prefix)
  await client.indices.delete(
    { index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true },
    { ignore: [404] }
  )
  for (const name of [templates.all, templates.requests, templates.responses]) {
    await client.indices.deleteIndexTemplate({ name }, { ignore: [404] })
  }
  await client.cluster.deleteComponentTemplate({ name: templates.component }, { ignore: [404] })
}
