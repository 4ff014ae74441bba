// The templates on a real Elasticsearch: new indices get the mapping, and indices created before a
// field was added to it gain that field.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defer } from '../../test/helpers/cleanup.ts'
import { createElasticsearch, uniqueName } from '../../test/helpers/servers.ts'
import { indexNames } from '../src/index-names.ts'
import { deletePrefix, ensureTemplates, eventMapping } from '../src/templates.ts'

test('an index created before a field existed gains it when the templates are ensured', async (t) => {
  const es = createElasticsearch(t)
  const prefix = `${uniqueName('tpl')}_`
  defer(t, () => deletePrefix(es, prefix))
  const older = `${prefix}usuario`
  // As an older monitor created it: no user_id, no indexed_at.
  const { user_id: _user, indexed_at: _indexed, ...olderFields } = eventMapping.properties
  await es.indices.create({
    index: older,
    mappings: { dynamic: false, properties: olderFields }
  })
  assert.equal(
    (await es.indices.getMapping({ index: older }))[older]?.mappings.properties?.user_id,
    undefined
  )

  await ensureTemplates(es, { prefix, replicas: 0 })

  const properties = (await es.indices.getMapping({ index: older }))[older]?.mappings.properties
  assert.deepEqual(properties?.user_id, { type: 'keyword' })
  assert.deepEqual(properties?.indexed_at, { type: 'date' })
  // A new index of the prefix is created from the template with the whole mapping.
  const newer = indexNames(prefix).requests.find((name) => name !== older) ?? `${prefix}pagamento`
  await es.indices.create({ index: newer })
  const created = (await es.indices.getMapping({ index: newer }))[newer]?.mappings.properties
  assert.deepEqual(Object.keys(created ?? {}).sort(), Object.keys(eventMapping.properties).sort())
})
