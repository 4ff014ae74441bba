import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { obterHistoricoVisualizacao } from '../../src/handlers/obter-historico-visualizacao.ts'
import { registrarVisualizacao } from '../../src/handlers/registrar-visualizacao.ts'
import type { HandlerContext } from '../../src/handlers/types.ts'
import type { ContentType } from '../../src/stores/mongodb.ts'
import { tickingClock } from '../helpers/handler-context.ts'
import { mongoContext } from '../helpers/mongo-context.ts'

const setup = (t: TestContext) =>
  mongoContext(t, { indexes: true, now: tickingClock('2026-11-24T10:00:00.000Z', 60_000) })

async function record(
  context: () => HandlerContext,
  userId: number,
  contentId: string,
  tipo: ContentType,
  posicao: number
): Promise<void> {
  await registrarVisualizacao(
    {
      user_id: userId,
      conteudo_id: contentId,
      titulo: `Título ${contentId}`,
      tipo,
      tempo_assistido: 30,
      posicao
    },
    context()
  )
}

interface HistoryReply {
  user_id: number
  total: number
  historico: Array<{ conteudo_id: string; data: string; concluido: boolean; tipo: string }>
}

const contents = (data: Record<string, unknown>) =>
  (data as unknown as HistoryReply).historico.map((entry) => entry.conteudo_id)

test('obter_historico_visualizacao answers the user’s viewings newest first', async (t) => {
  const { context } = await setup(t)
  await record(context, 42, 'c-1', 'filme', 95)
  await record(context, 42, 'c-2', 'série', 10)
  await record(context, 7, 'c-other', 'filme', 10)
  await record(context, 42, 'c-3', 'documentário', 100)

  const result = await obterHistoricoVisualizacao({ user_id: 42, limit: 10 }, context())

  const data = result.data as unknown as HistoryReply
  assert.equal(result.message, '3 visualizações encontradas para o usuário 42')
  assert.equal(data.user_id, 42)
  assert.equal(data.total, 3)
  assert.deepEqual(contents(result.data), ['c-3', 'c-2', 'c-1'])
  const dates = data.historico.map((entry) => entry.data)
  assert.deepEqual(dates, [...dates].sort().reverse())
  assert.match(dates[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), result.data, 'reply data is plain JSON')
})

test('obter_historico_visualizacao applies the tipo, concluido and limit filters', async (t) => {
  const { context } = await setup(t)
  await record(context, 42, 'c-1', 'filme', 95)
  await record(context, 42, 'c-2', 'série', 10)
  await record(context, 42, 'c-3', 'filme', 20)
  await record(context, 42, 'c-4', 'filme', 90)
  await record(context, 42, 'c-5', 'série', 99)

  const query = async (filters: { tipo?: ContentType; concluido?: boolean; limit?: number }) =>
    contents(
      (await obterHistoricoVisualizacao({ user_id: 42, limit: 10, ...filters }, context())).data
    )

  assert.deepEqual(await query({ tipo: 'filme' }), ['c-4', 'c-3', 'c-1'])
  assert.deepEqual(await query({ concluido: true }), ['c-5', 'c-4', 'c-1'])
  assert.deepEqual(await query({ concluido: false }), ['c-3', 'c-2'])
  assert.deepEqual(await query({ tipo: 'série', concluido: true }), ['c-5'])
  assert.deepEqual(await query({ limit: 2 }), ['c-5', 'c-4'])
  assert.deepEqual(await query({ tipo: 'documentário' }), [])
})

test('obter_historico_visualizacao says so when nothing matches', async (t) => {
  const { context } = await setup(t)

  const result = await obterHistoricoVisualizacao({ user_id: 42, limit: 10 }, context())

  assert.equal(result.message, 'Nenhuma visualização encontrada para o usuário 42')
  assert.deepEqual(result.data, { user_id: 42, total: 0, historico: [] })
})
