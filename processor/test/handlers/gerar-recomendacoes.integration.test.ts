import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import { ContentId } from '@streaming/contracts'
import Value from 'typebox/value'
import { gerarRecomendacoes } from '../../src/handlers/gerar-recomendacoes.ts'
import {
  RECOMMENDATIONS_COLLECTION,
  type ContentType,
  type MongoStore,
  type RecommendationItem
} from '../../src/stores/mongodb.ts'
import { mongoContext } from '../helpers/mongo-context.ts'

const NOW = new Date('2026-11-24T10:00:00.000Z')

const setup = (t: TestContext) => mongoContext(t, { indexes: true, now: () => NOW })

async function watched(mongodb: MongoStore, userId: number, ...tipos: ContentType[]) {
  for (const [i, tipo] of tipos.entries()) {
    await mongodb.history.insert({
      id: randomUUID(),
      user_id: userId,
      conteudo_id: `c-${i}`,
      titulo: `Título ${i}`,
      tipo,
      tempo_assistido: 60,
      posicao: 100,
      concluido: true,
      data: new Date(NOW.getTime() - (i + 1) * 60_000)
    })
  }
}

interface RecommendationsReply {
  user_id: number
  total: number
  gerado_em: string
  recomendacoes: RecommendationItem[]
}

const countByType = (items: RecommendationItem[]) =>
  Object.fromEntries(
    (['filme', 'série', 'documentário'] as const)
      .map((tipo) => [tipo, items.filter((item) => item.tipo === tipo).length])
      .filter(([, count]) => count !== 0)
  )

function assertWellFormed(items: RecommendationItem[], minScore: number, maxScore: number) {
  for (const item of items) {
    assert.deepEqual(Object.keys(item).sort(), [
      'categoria',
      'conteudo_id',
      'motivo',
      'pontuacao',
      'tipo',
      'titulo'
    ])
    assert.ok(Value.Check(ContentId, item.conteudo_id), `conteudo_id ${item.conteudo_id}`)
    assert.ok(item.titulo.length > 0)
    assert.ok(item.categoria.length > 0)
    assert.ok(item.motivo.length > 0)
    assert.ok(
      item.pontuacao >= minScore && item.pontuacao <= maxScore,
      `pontuacao ${item.pontuacao} outside ${minScore}–${maxScore}`
    )
  }
  const ids = items.map((item) => item.conteudo_id)
  assert.equal(new Set(ids).size, ids.length, 'no content twice in one set')
}

test('gerar_recomendacoes gives 2 items per viewing of each type and stores the set', async (t) => {
  const { db, mongodb, context } = await setup(t)
  await watched(mongodb, 42, 'filme', 'série', 'filme')
  await watched(mongodb, 7, 'documentário')

  const result = await gerarRecomendacoes({ user_id: 42 }, context())

  const data = result.data as unknown as RecommendationsReply
  assert.equal(result.message, '6 recomendações geradas para o usuário 42')
  assert.equal(data.user_id, 42)
  assert.equal(data.total, 6)
  assert.equal(data.gerado_em, NOW.toISOString())
  assert.deepEqual(countByType(data.recomendacoes), { filme: 4, série: 2 })
  assertWellFormed(data.recomendacoes, 0.5, 1)
  const scores = data.recomendacoes.map((item) => item.pontuacao)
  assert.deepEqual(
    scores,
    [...scores].sort((a, b) => b - a),
    'best score first'
  )
  assert.ok(data.recomendacoes.some((item) => item.motivo === 'Porque você assistiu 2 filmes'))
  assert.ok(data.recomendacoes.some((item) => item.motivo === 'Porque você assistiu 1 série'))
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), result.data, 'reply data is plain JSON')

  const docs = await db.collection(RECOMMENDATIONS_COLLECTION).find({ user_id: 42 }).toArray()
  assert.equal(docs.length, 1)
  assert.deepEqual(docs[0]?.itens, data.recomendacoes)
  assert.deepEqual(docs[0]?.gerado_em, NOW)
})

test('gerar_recomendacoes caps each type at 10 items', async (t) => {
  const { mongodb, context } = await setup(t)
  await watched(mongodb, 42, ...Array<ContentType>(6).fill('documentário'), 'filme')

  const result = await gerarRecomendacoes({ user_id: 42 }, context())

  const data = result.data as unknown as RecommendationsReply
  assert.deepEqual(countByType(data.recomendacoes), { documentário: 10, filme: 2 })
  assert.equal(data.total, 12)
  assertWellFormed(data.recomendacoes, 0.5, 1)
})

test('gerar_recomendacoes without history gives 5 trending items scored 0.5–0.8', async (t) => {
  const { db, context } = await setup(t)

  const result = await gerarRecomendacoes({ user_id: 42 }, context())

  const data = result.data as unknown as RecommendationsReply
  assert.match(result.message, /^5 recomendações geradas para o usuário 42 \(em alta/)
  assert.equal(data.recomendacoes.length, 5)
  assertWellFormed(data.recomendacoes, 0.5, 0.8)
  for (const item of data.recomendacoes) {
    assert.ok(['filme', 'série', 'documentário'].includes(item.tipo), item.tipo)
  }
  assert.equal(await db.collection(RECOMMENDATIONS_COLLECTION).countDocuments({ user_id: 42 }), 1)
})

test('gerar_recomendacoes replaces the previous set', async (t) => {
  const { db, mongodb, context } = await setup(t)
  const trending = await gerarRecomendacoes({ user_id: 42 }, context())
  await watched(mongodb, 42, 'série')

  const result = await gerarRecomendacoes({ user_id: 42 }, context())

  const data = result.data as unknown as RecommendationsReply
  assert.equal((trending.data as unknown as RecommendationsReply).total, 5)
  assert.deepEqual(countByType(data.recomendacoes), { série: 2 })
  const docs = await db.collection(RECOMMENDATIONS_COLLECTION).find({ user_id: 42 }).toArray()
  assert.equal(docs.length, 1)
  assert.deepEqual(docs[0]?.itens, data.recomendacoes)
})

test('a redelivered gerar_recomendacoes answers the set it generated', async (t) => {
  const { db, mongodb, context } = await setup(t)
  await watched(mongodb, 42, 'filme', 'série')
  const eventId = randomUUID()

  const first = await gerarRecomendacoes({ user_id: 42 }, context(eventId))
  const again = await gerarRecomendacoes({ user_id: 42 }, context(eventId))

  assert.deepEqual(again, first)
  const docs = await db.collection(RECOMMENDATIONS_COLLECTION).find({ user_id: 42 }).toArray()
  assert.equal(docs.length, 1)
  assert.deepEqual(docs[0]?.itens, (first.data as unknown as RecommendationsReply).recomendacoes)
})
