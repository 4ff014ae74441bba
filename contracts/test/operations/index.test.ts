// The operation table against SPEC.md: every operation's route, Kafka key, monitor entity, user
// check and store, as the specification lists them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { requestEventTypes } from '../../src/event-types.ts'
import {
  kafkaKeyOf,
  operations,
  userMustExistEventTypes,
  type RequestData
} from '../../src/operations/index.ts'

/** SPEC.md's operation tables, row by row: route, key field, entity, user check, store. */
const spec = {
  criar_usuario: ['POST /usuarios', 'user_id', 'usuario', false, 'postgres'],
  atualizar_assinatura: [
    'POST /usuarios/{user_id}/assinatura',
    'user_id',
    'usuario',
    true,
    'postgres'
  ],
  pagamento_realizado: [
    'POST /usuarios/{user_id}/pagamento',
    'user_id',
    'usuario',
    true,
    'postgres'
  ],
  atualizar_config: ['POST /usuarios/{user_id}/config', 'user_id', 'usuario', true, 'postgres'],
  registrar_visualizacao: ['POST /historico-visualizacao', 'user_id', 'historico', true, 'mongodb'],
  obter_historico_visualizacao: [
    'GET /historico-visualizacao/{user_id}',
    'user_id',
    'historico',
    true,
    'mongodb'
  ],
  gerar_recomendacoes: ['POST /recomendacoes/gerar', 'user_id', 'recomendacao', true, 'mongodb'],
  obter_recomendacoes: ['GET /recomendacoes/{user_id}', 'user_id', 'recomendacao', true, 'mongodb'],
  criar_sessao: ['POST /sessoes', 'user_id', 'sessao', true, 'redis'],
  atualizar_atividade_sessao: [
    'PUT /sessoes/{session_id}/atividade',
    'session_id',
    'sessao',
    false,
    'redis'
  ],
  encerrar_sessao: ['DELETE /sessoes/{session_id}', 'session_id', 'sessao', false, 'redis'],
  listar_sessoes_usuario: ['GET /sessoes/usuario/{user_id}', 'user_id', 'sessao', true, 'redis'],
  cache_conteudo: ['POST /cache/conteudo/{conteudo_id}', 'conteudo_id', 'conteudo', false, 'redis'],
  obter_cache_conteudo: [
    'GET /cache/conteudo/{conteudo_id}',
    'conteudo_id',
    'conteudo',
    false,
    'redis'
  ]
} as const

test('the table has one entry per event type, each as SPEC.md lists it', () => {
  assert.deepEqual(Object.keys(operations).sort(), [...requestEventTypes].sort())
  assert.deepEqual(Object.keys(spec).sort(), [...requestEventTypes].sort())
  for (const type of requestEventTypes) {
    const entry = operations[type]
    const [route, key, entity, userMustExist, store] = spec[type]
    assert.equal(`${entry.method} ${entry.path}`, route, type)
    assert.equal(entry.key, key, type)
    assert.equal(entry.entity, entity, type)
    assert.equal(entry.userMustExist, userMustExist, type)
    assert.equal(entry.store, store, type)
  }
})

test('routes are unique, and every path parameter is a field of the data', () => {
  const routes = requestEventTypes.map(
    (type) => `${operations[type].method} ${operations[type].path}`
  )
  assert.equal(new Set(routes).size, routes.length)
  for (const type of requestEventTypes) {
    const { path, data } = operations[type]
    for (const [, param] of path.matchAll(/\{([^}]+)\}/g)) {
      assert.ok(param && param in data.properties, `${type}: {${param}} is a data field`)
    }
  }
})

test('the key field is a required field of the data, so every request has a key', () => {
  for (const type of requestEventTypes) {
    const { key, data } = operations[type]
    assert.ok(key in data.properties, `${type}: ${key} is a data field`)
    const required: readonly string[] = data.required ?? []
    assert.ok(required.includes(key), `${type}: ${key} is required`)
  }
})

test('"the user must exist": every operation naming a user_id, but criar_usuario', () => {
  // SPEC.md, integrity across stores: all but criar_usuario and the content cache; the session
  // routes by session_id name no user.
  const naming = requestEventTypes.filter(
    (type) => 'user_id' in operations[type].data.properties && type !== 'criar_usuario'
  )
  assert.deepEqual([...userMustExistEventTypes].sort(), naming.sort())
})

test('the Kafka key of a request is its key field as text', () => {
  const sessionId = '0b7c1a6e-3f5d-4c2a-9e8f-1d2c3b4a5f60'
  assert.equal(kafkaKeyOf('criar_usuario', { user_id: 42 } as RequestData<'criar_usuario'>), '42')
  assert.equal(kafkaKeyOf('obter_recomendacoes', { user_id: 7 }), '7')
  assert.equal(kafkaKeyOf('encerrar_sessao', { session_id: sessionId }), sessionId)
  assert.equal(kafkaKeyOf('obter_cache_conteudo', { conteudo_id: 'c-1' }), 'c-1')
})
