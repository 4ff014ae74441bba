import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import { registrarVisualizacao } from '../../src/handlers/registrar-visualizacao.ts'
import { HISTORY_COLLECTION } from '../../src/stores/mongodb.ts'
import { tickingClock } from '../helpers/handler-context.ts'
import { mongoContext } from '../helpers/mongo-context.ts'

const setup = (t: TestContext) =>
  mongoContext(t, { now: tickingClock('2026-11-24T10:00:00.000Z', 60_000) })

const request = (posicao: number) => ({
  user_id: 42,
  conteudo_id: 'c-48213',
  titulo: 'O cortiço',
  tipo: 'filme' as const,
  tempo_assistido: 95,
  posicao
})

test('registrar_visualizacao stores the viewing with the current date and answers it', async (t) => {
  const { db, context } = await setup(t)
  const ctx = context()
  const result = await registrarVisualizacao(request(93.5), ctx)

  assert.equal(result.message, 'Visualização registrada')
  const expected = {
    id: ctx.eventId,
    ...request(93.5),
    concluido: true,
    data: '2026-11-24T10:01:00.000Z'
  }
  assert.deepEqual(result.data, { visualizacao: expected })
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), result.data, 'reply data is plain JSON')

  const docs = await db.collection(HISTORY_COLLECTION).find().toArray()
  assert.equal(docs.length, 1)
  assert.deepEqual(docs[0], {
    _id: ctx.eventId,
    ...request(93.5),
    concluido: true,
    data: new Date('2026-11-24T10:01:00.000Z')
  })
})

test('registrar_visualizacao marks a viewing completed from position 90 on', async (t) => {
  const { db, context } = await setup(t)
  const cases = [
    [0, false],
    [89.9, false],
    [90, true],
    [100, true]
  ] as const
  for (const [posicao, concluido] of cases) {
    const ctx = context()
    await registrarVisualizacao(request(posicao), ctx)
    const doc = await db.collection(HISTORY_COLLECTION).findOne({ _id: ctx.eventId as never })
    assert.equal(doc?.concluido, concluido, `posicao ${posicao}`)
  }
})

test('a redelivered registrar_visualizacao stores nothing twice and answers the same', async (t) => {
  const { db, context } = await setup(t)
  const eventId = randomUUID()

  const first = await registrarVisualizacao(request(50), context(eventId))
  const again = await registrarVisualizacao(request(50), context(eventId))
  await registrarVisualizacao(request(50), context())

  assert.deepEqual(again, first)
  assert.equal(await db.collection(HISTORY_COLLECTION).countDocuments({ _id: eventId as never }), 1)
  assert.equal(await db.collection(HISTORY_COLLECTION).countDocuments(), 2)
})
