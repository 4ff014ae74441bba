import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { gerarRecomendacoes } from '../../src/handlers/gerar-recomendacoes.ts'
import { obterRecomendacoes } from '../../src/handlers/obter-recomendacoes.ts'
import { mongoContext } from '../helpers/mongo-context.ts'

const setup = (t: TestContext) =>
  mongoContext(t, { indexes: true, now: () => new Date('2026-11-24T10:00:00.000Z') })

test('obter_recomendacoes answers the current set', async (t) => {
  const { context } = await setup(t)
  const generated = await gerarRecomendacoes({ user_id: 42 }, context())
  await gerarRecomendacoes({ user_id: 7 }, context())

  const result = await obterRecomendacoes({ user_id: 42 }, context())

  assert.equal(result.message, '5 recomendações para o usuário 42')
  assert.deepEqual(result.data, generated.data)
  assert.equal(result.data.gerado_em, '2026-11-24T10:00:00.000Z')
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), result.data, 'reply data is plain JSON')
})

test('obter_recomendacoes answers an empty list and says why when none was generated', async (t) => {
  const { context } = await setup(t)

  const result = await obterRecomendacoes({ user_id: 42 }, context())

  assert.match(result.message, /usuário 42 ainda não tem recomendações/)
  assert.deepEqual(result.data, { user_id: 42, total: 0, gerado_em: null, recomendacoes: [] })
})
