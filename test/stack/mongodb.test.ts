import assert from 'node:assert/strict'
import { test } from 'node:test'
import { connectMongo, connectPostgres, uniqueName } from '../helpers/servers.ts'
import { defer } from '../helpers/cleanup.ts'

test('MongoDB wire protocol: the operations the product relies on', async (t) => {
  const client = await connectMongo(t)
  const db = client.db(uniqueName('test'))
  defer(t, () => db.dropDatabase())
  const history = db.collection<{ user_id: number; tipo: string; posicao: number; data: Date }>(
    'historico_visualizacao'
  )

  const base = Date.UTC(2026, 0, 1)
  await history.insertMany([
    { user_id: 1, tipo: 'filme', posicao: 95, data: new Date(base) },
    { user_id: 1, tipo: 'série', posicao: 10, data: new Date(base + 1000) },
    { user_id: 1, tipo: 'filme', posicao: 50, data: new Date(base + 2000) },
    { user_id: 2, tipo: 'filme', posicao: 99, data: new Date(base + 3000) }
  ])
  const inserted = await history.insertOne({
    user_id: 1,
    tipo: 'documentário',
    posicao: 0,
    data: new Date(base + 4000)
  })
  assert.ok(inserted.insertedId)

  const newest = await history.find({ user_id: 1 }).sort({ data: -1 }).limit(2).toArray()
  assert.deepEqual(
    newest.map((doc) => doc.tipo),
    ['documentário', 'filme']
  )

  const byType = await history
    .aggregate<{ _id: string; total: number }>([
      { $match: { user_id: 1 } },
      { $group: { _id: '$tipo', total: { $sum: 1 } } },
      { $sort: { _id: 1 } }
    ])
    .toArray()
  assert.deepEqual(byType, [
    { _id: 'documentário', total: 1 },
    { _id: 'filme', total: 2 },
    { _id: 'série', total: 1 }
  ])

  const recommendations = db.collection<{ user_id: number; itens: string[] }>('recomendacoes')
  await recommendations.updateOne({ user_id: 1 }, { $set: { itens: ['a'] } }, { upsert: true })
  await recommendations.updateOne({ user_id: 1 }, { $set: { itens: ['b', 'c'] } }, { upsert: true })
  assert.equal(await recommendations.countDocuments({ user_id: 1 }), 1)
  assert.deepEqual((await recommendations.findOne({ user_id: 1 }))?.itens, ['b', 'c'])

  await recommendations.createIndex({ user_id: 1 }, { unique: true })
  await assert.rejects(
    recommendations.insertOne({ user_id: 1, itens: [] }),
    (err: { code?: number }) => err.code === 11000
  )
})

test("native stack: FerretDB's user_id filters are served by an index, on every new database", async (t) => {
  const client = await connectMongo(t)
  const db = client.db(uniqueName('test'))
  defer(t, () => db.dropDatabase())
  const history = db.collection<{ user_id: number; data: Date }>('historico_visualizacao')
  await history.insertMany(
    Array.from({ length: 2_000 }, (_, i) => ({ user_id: i % 200, data: new Date(i) }))
  )

  // FerretDB keeps the collection as a table of its PostgreSQL database, one schema per database.
  const sql = await connectPostgres(t, 'ferretdb')
  const { rows } = await sql.query<{ table: string; index: string }>(
    `SELECT tablename AS table, indexname AS index FROM pg_indexes
     WHERE schemaname = $1 AND indexdef LIKE '%USING gin%user_id%'`,
    [db.databaseName]
  )
  assert.equal(rows.length, 1, 'the new collection got its GIN index from the event trigger')
  const table = `"${db.databaseName}"."${rows[0]?.table}"`
  const { rows: settings } = await sql.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')
  assert.equal(settings[0]?.plan_cache_mode, 'force_custom_plan', "the database's default")
  // FerretDB's own statement shape: the field name and the value are parameters.
  const plan = await sql.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT _jsonb FROM ${table} WHERE _jsonb -> $1::text @> $2::jsonb`,
    ['user_id', '7']
  )
  const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n')
  assert.match(text, new RegExp(`Index Scan on ${rows[0]?.index}`), text)
  assert.equal((await history.find({ user_id: 7 }).toArray()).length, 10)
})
