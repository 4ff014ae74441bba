import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { CacheContentData } from '@streaming/contracts'
import Value from 'typebox/value'
import {
  BRAZILIAN_CITIES,
  completeCacheContent,
  completeCreateSession,
  GENRES
} from '../../src/fake/index.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('the session id is always fresh, even when the input carries one', () => {
  const sent = randomUUID()
  const input = { user_id: 8, session_id: sent, dispositivo: 'Web' as const }
  const ids = new Set<string>()
  for (let index = 0; index < 1000; index++) {
    const session = completeCreateSession(input)
    assert.notEqual(session.session_id, sent)
    assert.match(session.session_id, UUID)
    assert.equal(session.dispositivo, 'Web')
    ids.add(session.session_id)
  }
  assert.equal(ids.size, 1000)
})

test('sessions are located in Brazilian cities', () => {
  for (let index = 0; index < 200; index++) {
    const { localizacao } = completeCreateSession({ user_id: 8 })
    assert.ok((BRAZILIAN_CITIES as readonly string[]).includes(localizacao), localizacao)
  }
})

test('cached content fields are plausible', () => {
  const year = new Date().getUTCFullYear()
  const categories: readonly string[] = [...GENRES, 'Documentário']
  for (let index = 0; index < 500; index++) {
    const content = completeCacheContent({ conteudo_id: `c-${20_000 + index}` })
    assert.ok(Value.Check(CacheContentData, content))
    assert.ok(categories.includes(content.categoria), content.categoria)
    assert.ok(content.ano_lancamento >= 1950 && content.ano_lancamento <= year)
    assert.ok(content.avaliacao >= 0 && content.avaliacao <= 10)
    assert.equal(Math.round(content.avaliacao * 10) / 10, content.avaliacao)
    assert.ok(content.descricao.length > 20 && content.titulo.length > 0)
    if (content.tipo === 'documentário') assert.equal(content.categoria, 'Documentário')
  }
})
