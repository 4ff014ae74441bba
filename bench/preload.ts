// Grows the platform's own stores to a given size, so that `npm run bench` can measure the end to
// end figure as data grows ("flat as data grows" in BENCHMARKS.md): PostgreSQL gets users up to
// USERS, and MongoDB's viewing history documents up to DOCUMENTS, spread over those users.
// Adds only what is missing; the documents are ordinary viewings, found by the queries the
// processor makes. Run it with the platform down or idle:
//   bash stack/node.sh bench/preload.ts [DOCUMENTS=1000000] [USERS=100000]
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { viewingDocument } from './viewings.ts'

const documents = Number(process.argv[2] ?? 1_000_000)
const users = Number(process.argv[3] ?? 100_000)
const postgresUrl =
  process.env.POSTGRES_URL ?? 'postgres://streaming:streaming@127.0.0.1:5432/streaming'
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/streaming'
// Ids above every id the gateway generates today (16 digits, time-based), so none collides.
const firstPreloadedUser = 9_000_000_000_000_000

const postgres = new pg.Client({ connectionString: postgresUrl })
await postgres.connect()
const mongo = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 })
const history = mongo.db().collection<{ _id: string; user_id: number }>('historico_visualizacao')

const existingUsers = Number(
  (await postgres.query<{ count: string }>('SELECT count(*) FROM usuarios')).rows[0]?.count ?? 0
)
const missingUsers = Math.max(0, users - existingUsers)
const started = performance.now()
for (let sent = 0; sent < missingUsers; sent += 5_000) {
  const count = Math.min(5_000, missingUsers - sent)
  const ids = Array.from({ length: count }, (_, i) => firstPreloadedUser + existingUsers + sent + i)
  // One statement per batch; the CPF is the id's last 11 digits (unique, format only).
  await postgres.query(
    `INSERT INTO usuarios (user_id, nome, email, cpf, data_criacao, event_id)
     SELECT id, 'Usuário de carga', 'carga.' || id || '@example.com.br', lpad((id % 100000000000)::text, 11, '0'),
            now(), gen_random_uuid()
     FROM unnest($1::bigint[]) AS id
     ON CONFLICT DO NOTHING`,
    [ids]
  )
}
const userIds = (
  await postgres.query<{ user_id: string }>(
    'SELECT user_id FROM usuarios ORDER BY random() LIMIT $1',
    [users]
  )
).rows.map((row) => Number(row.user_id))
console.log(
  `[preload] users: ${existingUsers} there, ${missingUsers} added (${Math.round((performance.now() - started) / 1000)} s)`
)

const existingDocuments = await history.estimatedDocumentCount()
const missingDocuments = Math.max(0, documents - existingDocuments)
const filling = performance.now()
const now = Date.now()
for (let sent = 0; sent < missingDocuments; sent += 2_000) {
  await history.insertMany(
    Array.from({ length: Math.min(2_000, missingDocuments - sent) }, (_, i) =>
      viewingDocument(sent + i, userIds[(sent + i) % userIds.length] as number, now)
    ),
    { ordered: false }
  )
}
const seconds = (performance.now() - filling) / 1000
console.log(
  `[preload] viewing history: ${existingDocuments} there, ${missingDocuments} added ` +
    `(${Math.round(seconds)} s, ${Math.round(missingDocuments / Math.max(seconds, 0.001))} documents/s)`
)
await mongo.close()
await postgres.end()
