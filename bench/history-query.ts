// A user's viewing-history query as the history grows: fills a scratch database of the MongoDB
// server (FerretDB in the native stack) with DOCUMENTS viewings of USERS users, then times the
// processor's query shape — find({user_id}).sort({data: -1, _id: -1}).limit(10) — for random
// users. On FerretDB it times it twice, back to back: with the GIN index the native stack adds
// (stack/ferretdb/indexes.sql) and with it dropped. Prints p50/p99/max; drops the database.
//   bash stack/node.sh bench/history-query.ts [DOCUMENTS] [USERS]
// (BENCH_HISTORY_QUERIES, default 500: queries timed each way)
import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import { viewingDocument } from './viewings.ts'
import pg from 'pg'

const documents = Number(process.argv[2] ?? 100_000)
const users = Number(process.argv[3] ?? Math.max(1, Math.round(documents / 10)))
const queries = Number(process.env.BENCH_HISTORY_QUERIES ?? 500)
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/streaming'
const ferretdbPostgresUrl =
  process.env.FERRETDB_POSTGRES_URL ?? 'postgres://streaming:streaming@127.0.0.1:5432/ferretdb'

const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 })
const database = client.db(`bench_history_${randomUUID().slice(0, 8)}`)
const viewings = database.collection<{ _id: string; user_id: number }>('historico_visualizacao')
const firstUser = 1_000_000

async function fill(): Promise<number> {
  await viewings.createIndex({ user_id: 1, data: -1 })
  const started = performance.now()
  const batch = 2_000
  for (let sent = 0; sent < documents; sent += batch) {
    const now = Date.now()
    await viewings.insertMany(
      Array.from({ length: Math.min(batch, documents - sent) }, (_, i) =>
        viewingDocument(sent + i, firstUser + ((sent + i) % users), now)
      ),
      { ordered: false }
    )
  }
  return Math.round(documents / ((performance.now() - started) / 1000))
}

async function time(label: string): Promise<void> {
  const took: number[] = []
  for (let i = 0; i < queries; i++) {
    const userId = firstUser + Math.floor(Math.random() * users)
    const started = performance.now()
    const found = await viewings
      .find({ user_id: userId })
      .sort({ data: -1, _id: -1 })
      .limit(10)
      .toArray()
    took.push(performance.now() - started)
    if (found.length === 0) throw new Error(`no history for user ${userId}`)
  }
  took.sort((a, b) => a - b)
  const at = (p: number) => (took[Math.ceil((p / 100) * took.length) - 1] as number).toFixed(1)
  console.log(
    `${label}: ${queries} queries over ${documents} documents of ${users} users — p50 ${at(50)} ms, p99 ${at(99)} ms, max ${at(100)} ms`
  )
}

/** The GIN index of the native stack on this collection's table, when the server is FerretDB. */
async function ferretdbIndex(sql: pg.Client): Promise<string | undefined> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, indexname) AS name FROM pg_indexes
     WHERE schemaname = $1 AND indexname LIKE 'historico_visualizacao_%_user_id_gin'`,
    [database.databaseName]
  )
  return rows[0]?.name
}

try {
  await client.connect()
  console.log(`filling: ${await fill()} documents/s`)
  const sql = new pg.Client({ connectionString: ferretdbPostgresUrl })
  const onFerretdb = await sql.connect().then(
    () => true,
    () => false
  )
  const index = onFerretdb ? await ferretdbIndex(sql) : undefined
  await time(index ? 'with the GIN index' : 'as served')
  if (index) {
    await sql.query(`DROP INDEX ${index}`)
    await time('without it (B-tree indexes only)')
  }
  if (onFerretdb) await sql.end()
} finally {
  await database.dropDatabase().catch(() => {})
  await client.close()
}
