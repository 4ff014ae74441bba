import assert from 'node:assert/strict'
import { test } from 'node:test'
import { operations, EventType } from '@streaming/contracts'
import Value from 'typebox/value'
import {
  completeCacheContent,
  completeGetViewingHistory,
  completeRecordViewing,
  contentFacts
} from '../../src/fake/index.ts'

const oneDecimal = (value: number) => Math.round(value * 10) / 10 === value

test('viewings: content id, minutes 1–180 and position 0–100 with one decimal', () => {
  let done = 0
  for (let index = 0; index < 2000; index++) {
    const view = completeRecordViewing({ user_id: 5 })
    assert.match(view.conteudo_id, /^c-\d{5}$/)
    assert.ok(
      view.tempo_assistido >= 1 && view.tempo_assistido <= 180,
      String(view.tempo_assistido)
    )
    assert.ok(view.posicao >= 0 && view.posicao <= 100 && oneDecimal(view.posicao))
    assert.ok(['filme', 'série', 'documentário'].includes(view.tipo))
    if (view.posicao >= 90) done++
  }
  assert.ok(done > 400 && done < 1200, `${done} of 2000 finished`)
})

test('minutes watched follow the given position and the content length', () => {
  const id = 'c-12345'
  const { duracao_minutos: length } = contentFacts(id)
  const view = completeRecordViewing({ user_id: 5, conteudo_id: id, posicao: 50 })
  assert.equal(view.tempo_assistido, Math.max(1, Math.round(length / 2)))
})

test('one content id always describes the same title, in the history and in the cache', () => {
  const first = completeRecordViewing({ user_id: 1, conteudo_id: 'c-31415' })
  for (let index = 0; index < 20; index++) {
    const again = completeRecordViewing({ user_id: index + 2, conteudo_id: 'c-31415' })
    assert.equal(again.titulo, first.titulo)
    assert.equal(again.tipo, first.tipo)
  }
  const cached = completeCacheContent({ conteudo_id: 'c-31415' })
  assert.equal(cached.titulo, first.titulo)
  assert.equal(cached.tipo, first.tipo)
})

test('a given tipo shapes the generated facts', () => {
  for (let index = 0; index < 200; index++) {
    const id = `c-${10_000 + index}`
    const documentary = completeCacheContent({ conteudo_id: id, tipo: 'documentário' })
    assert.equal(documentary.categoria, 'Documentário')
    const film = completeRecordViewing({ user_id: 1, conteudo_id: id, tipo: 'filme' })
    assert.equal(film.tipo, 'filme')
    assert.ok(Value.Check(operations[EventType.recordViewing].data, film))
  }
})

test('history query: filters kept, limit defaults to 10, nothing undefined added', () => {
  const out = completeGetViewingHistory({ user_id: 3, concluido: true })
  assert.deepEqual(out, { user_id: 3, concluido: true, limit: 10 })
  assert.deepEqual(Object.keys(out).sort(), ['concluido', 'limit', 'user_id'])
})
