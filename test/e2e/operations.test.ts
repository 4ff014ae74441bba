import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidCpf } from '@streaming/contracts'
import { succeed } from '../helpers/http.ts'
import { startPlatform } from '../helpers/platform.ts'

test('every operation: 202, status reaches success, and the store holds the result', async (t) => {
  const { app, postgres, mongodb, redis, redisKeyPrefix } = await startPlatform(t)

  // PostgreSQL
  const created = await succeed(app, 'POST', '/usuarios', { nome: 'Maria Souza' })
  const usuario = created.accepted.usuario as {
    user_id: number
    email: string
    cpf: string
    nome: string
  }
  assert.equal(usuario.nome, 'Maria Souza', 'a given field is used as given')
  assert.ok(usuario.user_id > 10_000 && isValidCpf(usuario.cpf), 'generated user_id and CPF')
  const { rows: users } = await postgres.query(
    'SELECT nome, email, cpf FROM usuarios WHERE user_id = $1',
    [usuario.user_id]
  )
  assert.deepEqual(users, [{ nome: 'Maria Souza', email: usuario.email, cpf: usuario.cpf }])
  const userId = usuario.user_id

  await succeed(app, 'POST', `/usuarios/${userId}/assinatura?plano=Premium`, {
    inicio: '2026-11-01'
  })
  const { rows: subscriptions } = await postgres.query(
    "SELECT plano, to_char(inicio, 'YYYY-MM-DD') AS inicio, to_char(fim, 'YYYY-MM-DD') AS fim, status FROM assinaturas WHERE user_id = $1",
    [userId]
  )
  assert.deepEqual(subscriptions, [
    { plano: 'Premium', inicio: '2026-11-01', fim: '2026-12-01', status: 'ativa' }
  ])

  await succeed(app, 'POST', `/usuarios/${userId}/pagamento`, {
    valor: 29.9,
    forma_pagamento: 'Pix'
  })
  const { rows: payments } = await postgres.query(
    'SELECT valor::float AS valor, forma_pagamento FROM pagamentos WHERE user_id = $1',
    [userId]
  )
  assert.deepEqual(payments, [{ valor: 29.9, forma_pagamento: 'Pix' }])

  await succeed(app, 'POST', `/usuarios/${userId}/config`, {
    idioma: 'es-ES',
    notificacoes: false,
    tema: 'escuro'
  })
  const { rows: preferences } = await postgres.query(
    'SELECT idioma, notificacoes, tema FROM preferencias WHERE user_id = $1',
    [userId]
  )
  assert.deepEqual(preferences, [{ idioma: 'es-ES', notificacoes: false, tema: 'escuro' }])

  // MongoDB
  await succeed(app, 'POST', '/historico-visualizacao', {
    user_id: userId,
    tipo: 'filme',
    posicao: 95,
    titulo: 'O Auto da Compadecida'
  })
  await succeed(app, 'POST', `/historico-visualizacao?user_id=${userId}&tipo=série&posicao=10`)
  const stored = await mongodb
    .collection('historico_visualizacao')
    .find({ user_id: userId })
    .sort({ data: 1 })
    .toArray()
  assert.deepEqual(
    stored.map((doc) => [doc.tipo, doc.concluido]),
    [
      ['filme', true],
      ['série', false]
    ]
  )
  assert.equal(stored[0]?.titulo, 'O Auto da Compadecida')

  const history = await succeed(app, 'GET', `/historico-visualizacao/${userId}?limit=1`)
  const entries = history.result.data?.historico as Array<{ tipo: string }>
  assert.deepEqual(
    entries.map((entry) => entry.tipo),
    ['série'],
    'newest first, limited'
  )

  const generated = await succeed(app, 'POST', '/recomendacoes/gerar', { user_id: userId })
  const items = generated.result.data?.recomendacoes as Array<{ tipo: string }>
  assert.equal(items.length, 4, '2 × 1 filme + 2 × 1 série')
  const set = await mongodb.collection('recomendacoes').findOne({ user_id: userId })
  assert.equal(set?.itens.length, 4)

  const current = await succeed(app, 'GET', `/recomendacoes/${userId}`)
  assert.deepEqual(current.result.data?.recomendacoes, items)

  // Redis
  const session = await succeed(app, 'POST', '/sessoes', {
    user_id: userId,
    dispositivo: 'Smart TV'
  })
  const sessionId = session.accepted.session_id as string
  const hash = await redis.hgetall(`${redisKeyPrefix}sessao:${sessionId}`)
  assert.equal(hash.dispositivo, 'Smart TV')
  assert.equal(hash.user_id, String(userId))
  assert.ok((await redis.ttl(`${redisKeyPrefix}sessao:${sessionId}`)) > 0, 'the session expires')

  await succeed(app, 'PUT', `/sessoes/${sessionId}/atividade`)
  const listed = await succeed(app, 'GET', `/sessoes/usuario/${userId}`)
  assert.deepEqual(
    (listed.result.data?.sessoes as Array<{ session_id: string }>).map((s) => s.session_id),
    [sessionId]
  )

  await succeed(app, 'DELETE', `/sessoes/${sessionId}`)
  const afterEnd = await succeed(app, 'GET', `/sessoes/usuario/${userId}?ativas_apenas=true`)
  assert.deepEqual(afterEnd.result.data?.sessoes, [], 'an ended session is no longer active')

  const contentId = `c-${Date.now()}`
  const miss = await succeed(app, 'GET', `/cache/conteudo/${contentId}`)
  assert.equal(miss.result.data?.cache_hit, false)
  await succeed(app, 'POST', `/cache/conteudo/${contentId}`, {
    titulo: 'Cidade de Deus',
    ano_lancamento: 2002
  })
  const content = await redis.hgetall(`${redisKeyPrefix}conteudo:${contentId}`)
  assert.equal(content.titulo, 'Cidade de Deus')
  const ttl = await redis.ttl(`${redisKeyPrefix}conteudo:${contentId}`)
  assert.ok(ttl > 3500 && ttl <= 3600, `1 h expiry, got ${ttl}`)
  const hit = await succeed(app, 'GET', `/cache/conteudo/${contentId}`)
  assert.equal(hit.result.data?.cache_hit, true)
  assert.equal((hit.result.data?.conteudo as { ano_lancamento: number }).ano_lancamento, 2002)
})
