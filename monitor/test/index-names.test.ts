import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EventType, requestEventTypes } from '@streaming/contracts'
import { indexNames, isValidIndexPrefix, replyIndex, requestIndex } from '../src/index-names.ts'

test('requests are indexed by entity', () => {
  const expected: Record<string, string> = {
    criar_usuario: 'api_usuario',
    atualizar_assinatura: 'api_usuario',
    pagamento_realizado: 'api_usuario',
    atualizar_config: 'api_usuario',
    registrar_visualizacao: 'api_historico',
    obter_historico_visualizacao: 'api_historico',
    gerar_recomendacoes: 'api_recomendacao',
    obter_recomendacoes: 'api_recomendacao',
    criar_sessao: 'api_sessao',
    atualizar_atividade_sessao: 'api_sessao',
    encerrar_sessao: 'api_sessao',
    listar_sessoes_usuario: 'api_sessao',
    cache_conteudo: 'api_conteudo',
    obter_cache_conteudo: 'api_conteudo'
  }
  assert.deepEqual(
    Object.fromEntries(requestEventTypes.map((type) => [type, requestIndex('api_', type)])),
    expected
  )
  assert.equal(requestIndex('t1_', EventType.createSession), 't1_sessao', 'the prefix is kept')
  assert.deepEqual(
    [...indexNames('api_').requests].sort(),
    [...new Set(Object.values(expected))].sort()
  )
  assert.deepEqual(
    indexNames('api_').requests,
    ['api_usuario', 'api_historico', 'api_recomendacao', 'api_sessao', 'api_conteudo'],
    'in the order of the operation table'
  )
})

test('replies to unknown operations share one index instead of creating new ones', () => {
  assert.equal(replyIndex('api_', 'obter_recomendacoes'), 'api_obter_recomendacoes_responses')
  assert.equal(replyIndex('api_', 'Tipo Inventado/*'), 'api_unknown_responses')
  const { responses } = indexNames('api_')
  assert.equal(responses.length, requestEventTypes.length + 1, 'one per operation, one unknown')
  assert.ok(responses.includes('api_unknown_responses'))
  for (const type of requestEventTypes) assert.ok(responses.includes(replyIndex('api_', type)))
})

test('every name of a prefix starts with it; the aliases and patterns cover the indices', () => {
  const names = indexNames('t9_')
  assert.deepEqual(names.aliases, {
    all: 't9_all_logs',
    requests: 't9_requests',
    responses: 't9_responses'
  })
  assert.equal(names.deadLetters, 't9_dead_letters')
  assert.equal(names.malformed, 't9_malformed')
  assert.equal(names.pattern, 't9_*')
  assert.equal(names.responsesPattern, 't9_*_responses')
  assert.equal(indexNames('t9_'), names, 'computed once per prefix')
  assert.notEqual(indexNames('t8_'), names)
})

test('a prefix must be a valid start of an Elasticsearch index name', () => {
  for (const prefix of ['api_', 't1_', 'a', 'x.y-z_']) assert.ok(isValidIndexPrefix(prefix), prefix)
  for (const prefix of ['', 'API_', '_api', '-api', 'a b', 'a*', 'a/b']) {
    assert.equal(isValidIndexPrefix(prefix), false, prefix)
  }
})
