import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { ErrorCode } from '@streaming/contracts'
import { MongoClient } from 'mongodb'
import { defer } from '../../../test/helpers/cleanup.ts'
import { uniqueName } from '../../../test/helpers/servers.ts'
import { OperationError } from '../../src/errors.ts'
import {
  HISTORY_COLLECTION,
  RECOMMENDATIONS_COLLECTION,
  createMongoStore,
  ensureMongoIndexes,
  type ContentType,
  type NewViewing
} from '../../src/stores/mongodb.ts'
import { mongoDatabase } from '../helpers/mongo-context.ts'

let sequence = 0
const viewing = (fields: Partial<NewViewing> = {}): NewViewing => {
  sequence += 1
  return {
    id: uniqueName('evt'),
    user_id: 7,
    conteudo_id: `c-${sequence}`,
    titulo: `Título ${sequence}`,
    tipo: 'filme',
    tempo_assistido: 42,
    posicao: 50,
    concluido: false,
    data: new Date(Date.UTC(2026, 10, 24, 10, sequence)),
    ...fields
  }
}

const item = (tipo: ContentType, contentId: string) => ({
  conteudo_id: contentId,
  titulo: `Título ${contentId}`,
  tipo,
  categoria: 'Drama',
  pontuacao: 0.7,
  motivo: 'teste'
})

test('ensureMongoIndexes creates the indexes and can run again', async (t) => {
  const db = await mongoDatabase(t)
  await ensureMongoIndexes(db)
  await ensureMongoIndexes(db)

  const history = await db.collection(HISTORY_COLLECTION).listIndexes().toArray()
  const historyKeys = history.map((index) => JSON.stringify(index.key))
  assert.ok(historyKeys.includes(JSON.stringify({ user_id: 1, data: -1 })), historyKeys.join())
  assert.ok(historyKeys.includes(JSON.stringify({ user_id: 1, tipo: 1 })), historyKeys.join())

  const recommendations = await db.collection(RECOMMENDATIONS_COLLECTION).listIndexes().toArray()
  const byUser = recommendations.find(
    (index) => JSON.stringify(index.key) === JSON.stringify({ user_id: 1 })
  )
  assert.equal(byUser?.unique, true)
  await assert.rejects(
    db.collection(RECOMMENDATIONS_COLLECTION).insertMany([{ user_id: 1 }, { user_id: 1 }]),
    (err: { code?: number }) => err.code === 11000
  )
})

test('history.insert stores the viewing under its id and returns it as plain JSON', async (t) => {
  const db = await mongoDatabase(t)
  const store = createMongoStore(db)
  const entry = viewing({ posicao: 95, concluido: true })

  const { viewing: stored, replayed } = await store.history.insert(entry)

  assert.equal(replayed, false)
  assert.deepEqual(stored, { ...entry, data: entry.data.toISOString() })
  const docs = await db.collection(HISTORY_COLLECTION).find().toArray()
  assert.equal(docs.length, 1)
  const { id, ...fields } = entry
  assert.deepEqual(docs[0], { _id: id, ...fields })
  assert.ok(docs[0]?.data instanceof Date, 'data is stored as a BSON date')
})

test('history.insert with an id already stored returns the first viewing, once', async (t) => {
  const db = await mongoDatabase(t)
  const store = createMongoStore(db)
  const first = viewing()
  const again = { ...first, data: new Date(first.data.getTime() + 60_000), posicao: 99 }

  const one = await store.history.insert(first)
  const two = await store.history.insert(again)

  assert.equal(two.replayed, true)
  assert.deepEqual(two.viewing, one.viewing)
  assert.equal(
    await db.collection(HISTORY_COLLECTION).countDocuments({ _id: first.id as never }),
    1
  )
  assert.equal(await db.collection(HISTORY_COLLECTION).countDocuments(), 1)
})

test('history.list returns the user’s viewings newest first, filtered and limited', async (t) => {
  const db = await mongoDatabase(t)
  await ensureMongoIndexes(db)
  const store = createMongoStore(db)
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 12, minute))
  const entries = [
    viewing({ tipo: 'filme', data: at(1), concluido: true }),
    viewing({ tipo: 'série', data: at(3), concluido: false }),
    viewing({ tipo: 'filme', data: at(2), concluido: false }),
    viewing({ tipo: 'documentário', data: at(4), concluido: true }),
    viewing({ tipo: 'filme', data: at(5), user_id: 8 })
  ]
  for (const entry of entries) await store.history.insert(entry)
  const ids = (list: Array<{ id: string }>) => list.map((entry) => entry.id)
  const [a, b, c, d] = entries.map((entry) => entry.id)

  assert.deepEqual(ids(await store.history.list({ user_id: 7, limit: 10 })), [d, b, c, a])
  assert.deepEqual(ids(await store.history.list({ user_id: 7, limit: 2 })), [d, b])
  assert.deepEqual(ids(await store.history.list({ user_id: 7, tipo: 'filme', limit: 10 })), [c, a])
  assert.deepEqual(ids(await store.history.list({ user_id: 7, concluido: true, limit: 10 })), [
    d,
    a
  ])
  assert.deepEqual(ids(await store.history.list({ user_id: 7, concluido: false, limit: 10 })), [
    b,
    c
  ])
  assert.deepEqual(
    ids(await store.history.list({ user_id: 7, tipo: 'filme', concluido: false, limit: 10 })),
    [c]
  )
  assert.deepEqual(await store.history.list({ user_id: 9, limit: 10 }), [])
})

test('history.countByType counts the user’s viewings of each type', async (t) => {
  const db = await mongoDatabase(t)
  const store = createMongoStore(db)
  for (const tipo of ['filme', 'série', 'filme', 'filme', 'documentário'] as const) {
    await store.history.insert(viewing({ tipo }))
  }
  await store.history.insert(viewing({ tipo: 'série', user_id: 8 }))

  const counts = await store.history.countByType(7)

  assert.deepEqual(
    [...counts].sort((x, y) => x.tipo.localeCompare(y.tipo)),
    [
      { tipo: 'documentário', total: 1 },
      { tipo: 'filme', total: 3 },
      { tipo: 'série', total: 1 }
    ]
  )
  assert.deepEqual(await store.history.countByType(9), [])
})

test('recommendations.replace keeps one document per user holding the latest set', async (t) => {
  const db = await mongoDatabase(t)
  await ensureMongoIndexes(db)
  const store = createMongoStore(db)
  const firstAt = new Date('2026-11-24T10:00:00.000Z')
  const secondAt = new Date('2026-11-24T11:00:00.000Z')

  await store.recommendations.replace({
    user_id: 7,
    itens: [item('filme', 'c-1'), item('série', 'c-2')],
    gerado_em: firstAt,
    event_id: 'e-1'
  })
  const replaced = await store.recommendations.replace({
    user_id: 7,
    itens: [item('documentário', 'c-3')],
    gerado_em: secondAt,
    event_id: 'e-2'
  })
  await store.recommendations.replace({
    user_id: 8,
    itens: [item('filme', 'c-4')],
    gerado_em: firstAt,
    event_id: 'e-3'
  })

  const expected = {
    user_id: 7,
    itens: [item('documentário', 'c-3')],
    gerado_em: secondAt.toISOString(),
    event_id: 'e-2'
  }
  assert.deepEqual(replaced, expected)
  assert.deepEqual(await store.recommendations.get(7), expected)
  const docs = await db.collection(RECOMMENDATIONS_COLLECTION).find({ user_id: 7 }).toArray()
  assert.equal(docs.length, 1)
  assert.deepEqual(docs[0]?.itens, [item('documentário', 'c-3')])
  assert.deepEqual(docs[0]?.gerado_em, secondAt)
  assert.equal((await store.recommendations.get(8))?.itens[0]?.conteudo_id, 'c-4')
  assert.equal(await store.recommendations.get(9), null)
})

test('an unreachable MongoDB fails with a retryable error naming the store', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: 300,
    connectTimeoutMS: 300
  })
  defer(t, () => client.close())
  const store = createMongoStore(client.db(uniqueName('test')))

  await assert.rejects(
    store.history.list({ user_id: 7, limit: 10 }),
    (err) =>
      err instanceof OperationError &&
      err.retryable &&
      err.code === ErrorCode.storeUnavailable &&
      /MongoDB/.test(err.message)
  )
})
