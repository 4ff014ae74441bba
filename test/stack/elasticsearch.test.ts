import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createElasticsearch, uniqueName } from '../helpers/servers.ts'
import { defer } from '../helpers/cleanup.ts'

test('Elasticsearch: index template, bulk, search and alias on a real node', async (t) => {
  const es = createElasticsearch(t)
  const prefix = uniqueName('test')
  const alias = `${prefix}_all`
  defer(t, async () => {
    await es.indices.delete({ index: `${prefix}_*`, ignore_unavailable: true })
    await es.indices.deleteIndexTemplate({ name: prefix }, { ignore: [404] })
  })

  const info = await es.info()
  assert.match(info.version.number, /^8\./)

  await es.indices.putIndexTemplate({
    name: prefix,
    index_patterns: [`${prefix}_*`],
    template: {
      aliases: { [alias]: {} },
      mappings: {
        properties: {
          timestamp: { type: 'date' },
          transaction_id: { type: 'keyword' },
          status: { type: 'keyword' },
          message: { type: 'text' },
          latency_ms: { type: 'float' },
          payload: { type: 'object', enabled: false }
        }
      }
    }
  })

  const docs = [
    { index: `${prefix}_requests`, id: 'a', status: 'pending', latency_ms: null, at: 0 },
    { index: `${prefix}_responses`, id: 'b', status: 'success', latency_ms: 12.5, at: 1000 },
    { index: `${prefix}_responses`, id: 'c', status: 'error', latency_ms: 30, at: 2000 }
  ]
  const bulk = await es.bulk({
    refresh: true,
    operations: docs.flatMap((doc) => [
      { index: { _index: doc.index, _id: doc.id } },
      {
        timestamp: new Date(Date.UTC(2026, 0, 1) + doc.at).toISOString(),
        transaction_id: doc.id,
        status: doc.status,
        message: `operação ${doc.status}`,
        latency_ms: doc.latency_ms,
        payload: { nested: { anything: [1, 'two'] } }
      }
    ])
  })
  assert.equal(bulk.errors, false)

  const mapping = await es.indices.getMapping({ index: `${prefix}_responses` })
  assert.equal(mapping[`${prefix}_responses`]?.mappings.properties?.transaction_id?.type, 'keyword')

  const responses = await es.search<{ transaction_id: string }>({
    index: alias,
    query: { terms: { status: ['success', 'error'] } },
    sort: [{ timestamp: 'desc' }]
  })
  assert.deepEqual(
    responses.hits.hits.map((hit) => hit._source?.transaction_id),
    ['c', 'b']
  )

  const found = await es.search({ index: alias, query: { match: { message: 'success' } } })
  assert.equal(found.hits.hits[0]?._id, 'b')

  assert.equal((await es.count({ index: alias })).count, 3)

  // Writing the same id again replaces the document: ids decide, not deliveries.
  await es.index({
    index: `${prefix}_responses`,
    id: 'b',
    document: { status: 'success' },
    refresh: true
  })
  assert.equal((await es.count({ index: alias })).count, 3)
})
