import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Client } from '@elastic/elasticsearch'
import { backoffDelay } from '@streaming/runtime'
import { pino } from 'pino'
import {
  classifyBulkItems,
  createBulkWriter,
  bulkRetryBackoff,
  type BulkAnswer,
  type BulkItem
} from '../src/bulk.ts'
import type { IndexAction } from '../src/documents.ts'
import { createMonitorMetrics } from '../src/metrics.ts'

// Bodies as Elasticsearch 8 answers `_bulk` with the writer's filter_path
// (errors, items.*.status, items.*.error.type, items.*.error.reason).

const allIndexed: BulkAnswer = {
  errors: false,
  items: [{ index: { status: 201 } }, { index: { status: 200 } }, { index: { status: 201 } }]
}

const parseError = {
  type: 'document_parsing_exception',
  reason:
    "[1:14] failed to parse field [timestamp] of type [date] in document with id 't-0-1'. " +
    "Preview of field's value: 'ontem à tarde'"
}
const tooManyRequests = {
  type: 'es_rejected_execution_exception',
  reason:
    'rejected execution of coordinating operation [coordinating_and_primary_bytes=52428800, ' +
    'replica_bytes=0, all_bytes=52428800, coordinating_operation_bytes=1048576, ' +
    'max_coordinating_and_primary_bytes=53687091]'
}
const shardUnavailable = {
  type: 'unavailable_shards_exception',
  reason:
    '[api_usuario][0] primary shard is not active Timeout: [1m], request: [BulkShardRequest ' +
    '[[api_usuario][0]] containing [6] requests]'
}
const versionConflict = {
  type: 'version_conflict_engine_exception',
  reason: '[t-0-5]: version conflict, document already exists (current version [1])'
}
const writeBlock = {
  type: 'cluster_block_exception',
  reason: 'index [api_usuario] blocked by: [FORBIDDEN/8/index write (api)];'
}
const closedIndex = { type: 'index_closed_exception', reason: 'closed' }

const mixed: BulkAnswer = {
  errors: true,
  items: [
    { index: { status: 201 } },
    { index: { status: 400, error: parseError } },
    { index: { status: 429, error: tooManyRequests } },
    { index: { status: 503, error: shardUnavailable } },
    { index: { status: 200 } },
    { create: { status: 409, error: versionConflict } },
    { index: { status: 403, error: writeBlock } },
    { index: { status: 400, error: closedIndex } }
  ]
}

test('errors: false means every item was acknowledged', () => {
  assert.deepEqual(classifyBulkItems(allIndexed, 3), [
    { kind: 'indexed' },
    { kind: 'indexed' },
    { kind: 'indexed' }
  ])
  assert.deepEqual(
    classifyBulkItems({ errors: false }, 2),
    [{ kind: 'indexed' }, { kind: 'indexed' }],
    'items filtered out of the answer'
  )
})

test('items of a mixed answer: 2xx indexed, 400 malformed, the rest transient', () => {
  assert.deepEqual(classifyBulkItems(mixed, 8), [
    { kind: 'indexed' },
    { kind: 'malformed', status: 400, reason: `document_parsing_exception: ${parseError.reason}` },
    {
      kind: 'transient',
      status: 429,
      reason: `es_rejected_execution_exception: ${tooManyRequests.reason}`
    },
    {
      kind: 'transient',
      status: 503,
      reason: `unavailable_shards_exception: ${shardUnavailable.reason}`
    },
    { kind: 'indexed' },
    // Not the document's fault and not expected (ids are written with `index`): retried.
    {
      kind: 'transient',
      status: 409,
      reason: `version_conflict_engine_exception: ${versionConflict.reason}`
    },
    { kind: 'transient', status: 403, reason: `cluster_block_exception: ${writeBlock.reason}` },
    // A 400 that says nothing of the document: the index opens again, the document is fine.
    { kind: 'transient', status: 400, reason: 'index_closed_exception: closed' }
  ])
})

test('an item the answer leaves out, or one without an error, still gets a verdict', () => {
  const answer: BulkAnswer = { errors: true, items: [{ index: { status: 500 } }] }
  assert.deepEqual(classifyBulkItems(answer, 2), [
    { kind: 'transient', status: 500, reason: 'unknown: status 500' },
    { kind: 'transient', status: 0, reason: 'unknown: status 0' }
  ])
  assert.deepEqual(
    classifyBulkItems(
      { errors: true, items: [{ index: { status: 400, error: { type: 'x' } } }] },
      1
    ),
    [{ kind: 'malformed', status: 400, reason: 'x: status 400' }]
  )
})

test('an unfiltered answer (every field of each item) is read the same', () => {
  const full = {
    took: 11,
    errors: true,
    items: [
      {
        index: {
          _index: 'api_usuario',
          _id: 't-0-0',
          _version: 2,
          result: 'updated',
          _shards: { total: 1, successful: 1, failed: 0 },
          _seq_no: 1,
          _primary_term: 1,
          status: 200
        }
      },
      {
        index: {
          _index: 'api_usuario',
          _id: 't-0-1',
          status: 400,
          error: {
            ...parseError,
            caused_by: {
              type: 'illegal_argument_exception',
              reason:
                'failed to parse date field [ontem à tarde] with format ' +
                '[strict_date_optional_time||epoch_millis]'
            }
          }
        }
      }
    ]
  }
  assert.deepEqual(
    classifyBulkItems(full, 2).map(({ kind }) => kind),
    ['indexed', 'malformed']
  )
})

test('retry rounds wait 400 ms, doubling, never longer than the ceiling', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((round) => backoffDelay(bulkRetryBackoff(30_000), round)),
    [400, 800, 1_600, 3_200, 6_400, 12_800, 25_600]
  )
  assert.equal(backoffDelay(bulkRetryBackoff(30_000), 8), 30_000)
  assert.equal(backoffDelay(bulkRetryBackoff(500), 3), 500)
})

// ---- the writer, against a client that answers with the bodies above ----

interface Sent {
  index: string
  id: string
  document: Record<string, unknown>
}

function scriptedClient(answers: Array<BulkAnswer | Error>) {
  const requests: Sent[][] = []
  const client = {
    bulk: async ({ operations }: { operations: string[] }) => {
      const sent: Sent[] = []
      for (let i = 0; i < operations.length; i += 2) {
        const { index } = JSON.parse(operations[i]!) as { index: { _index: string; _id: string } }
        sent.push({ index: index._index, id: index._id, document: JSON.parse(operations[i + 1]!) })
      }
      requests.push(sent)
      const answer = answers.shift()
      if (!answer) throw new Error('no answer scripted')
      if (answer instanceof Error) throw answer
      return answer
    }
  }
  return { client: client as unknown as Client, requests }
}

const itemOf = (offset: number, tag = `t${offset}`): BulkItem & { tag: string } => {
  const action: IndexAction = {
    index: 'api_usuario',
    id: `t-0-${offset}`,
    document: {
      timestamp: '2026-11-24T10:00:00.000Z',
      kafka_timestamp: '2026-11-24T10:00:00.000Z',
      topic: 't',
      partition: 0,
      offset,
      malformed: false,
      transaction_id: `tx-${offset}`
    }
  }
  return { action, source: JSON.stringify(action.document), tag }
}

async function counter(metrics: ReturnType<typeof createMonitorMetrics>, name: string) {
  const metric = await metrics.registry.getSingleMetric(name)?.get()
  return (metric?.values ?? []).reduce((sum, { value }) => sum + value, 0)
}

function writer(client: Client, retries = 2) {
  const metrics = createMonitorMetrics()
  const indexed: number[] = []
  const bulk = createBulkWriter({
    client,
    log: pino({ level: 'silent' }),
    metrics,
    prefix: 'api_',
    retries,
    maxRetryDelayMs: 1,
    requestTimeoutMs: 1_000,
    onIndexed: (count) => indexed.push(count)
  })
  return { bulk, metrics, indexed }
}

test('refused documents are rewritten as malformed, the transient ones retried', async () => {
  const { client, requests } = scriptedClient([
    {
      errors: true,
      items: [
        { index: { status: 201 } },
        { index: { status: 400, error: parseError } },
        { index: { status: 429, error: tooManyRequests } }
      ]
    },
    { errors: false, items: [{ index: { status: 201 } }, { index: { status: 201 } }] }
  ])
  const { bulk, metrics, indexed } = writer(client)
  const outcome = await bulk([itemOf(0), itemOf(1), itemOf(2)])

  assert.deepEqual(outcome, { failed: [] })
  assert.equal(requests.length, 2)
  const [rewritten, retried] = requests[1]!
  assert.equal(rewritten?.index, 'api_malformed', 'the refused one, as malformed')
  assert.equal(rewritten?.id, 't-0-1', 'under the same id')
  assert.equal(rewritten?.document.error_code, 'rejected')
  assert.deepEqual(retried, {
    index: 'api_usuario',
    id: 't-0-2',
    document: itemOf(2).action.document
  })
  assert.deepEqual(indexed, [1, 2])
  assert.equal(await counter(metrics, 'monitor_indexed_documents_total'), 3)
  assert.equal(await counter(metrics, 'monitor_malformed_documents_total'), 1)
  assert.equal(await counter(metrics, 'monitor_bulk_requests_total'), 2)
})

test('documents still refused after the retries are given back, with what they carry', async () => {
  const refused: BulkAnswer = {
    errors: true,
    items: [{ index: { status: 201 } }, { index: { status: 503, error: shardUnavailable } }]
  }
  const stillRefused: BulkAnswer = {
    errors: true,
    items: [{ index: { status: 503, error: shardUnavailable } }]
  }
  const { client, requests } = scriptedClient([refused, stillRefused])
  const { bulk } = writer(client, 1)
  const outcome = await bulk([itemOf(0), itemOf(1, 'caller-b')])

  assert.equal(requests.length, 2, 'one request and one retry')
  assert.deepEqual(
    outcome.failed.map(({ action, tag }) => [action.id, tag]),
    [['t-0-1', 'caller-b']]
  )
  assert.match(String(outcome.error), /1 documents still refused: unavailable_shards_exception/)
})

test('a document refused even in its malformed form is dropped, not retried', async () => {
  const refusedTwice: BulkAnswer = {
    errors: true,
    items: [{ index: { status: 400, error: parseError } }]
  }
  const { client, requests } = scriptedClient([refusedTwice, refusedTwice])
  const { bulk, metrics } = writer(client)
  assert.deepEqual(await bulk([itemOf(0)]), { failed: [] })
  assert.equal(requests.length, 2)
  assert.equal(await counter(metrics, 'monitor_dropped_documents_total'), 1)
})

test('a failed request gives every document back with its error', async () => {
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:9200')
  const { client } = scriptedClient([refused])
  const { bulk, metrics, indexed } = writer(client)
  const chunk = [itemOf(0), itemOf(1)]
  const outcome = await bulk(chunk)
  assert.deepEqual(outcome.failed, chunk)
  assert.equal(outcome.error, refused)
  assert.deepEqual(indexed, [])
  const requests = await metrics.registry.getSingleMetric('monitor_bulk_requests_total')?.get()
  assert.deepEqual(
    requests?.values.map(({ labels, value }) => [labels.outcome, value]),
    [['failed', 1]]
  )
})
