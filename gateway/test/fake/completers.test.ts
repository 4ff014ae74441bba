import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  EventType,
  operations,
  requestEventTypes,
  type RequestEventType
} from '@streaming/contracts'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { completeRequest, completers } from '../../src/fake/index.ts'

type Data = Record<string, unknown>
type AnyCompleter = (input: Data, now?: Date) => Data

const complete = (eventType: RequestEventType, input: Data, now?: Date): Data =>
  (completers[eventType] as AnyCompleter)(input, now)

/** The contract's complaints about a value, '' when it passes. */
const problems = (schema: TSchema, value: unknown): string =>
  [...Value.Errors(schema, value)].map((e) => `${e.instancePath} ${e.message}`).join('; ')

const USER = { user_id: 4242 }
const SESSION = { session_id: '6f1c2b9e-3d4a-4f5b-8c7d-9e0f1a2b3c4d' }
const CONTENT = { conteudo_id: 'c-00042' }

/** Fields the gateway always generates itself, whatever the client sent. */
const gatewayOwned: Partial<Record<RequestEventType, string[]>> = {
  [EventType.createSession]: ['session_id']
}

/** Per operation: what its route always has, and a full set of client fields (valid, unusual). */
const cases: Record<RequestEventType, { required: Data; given: Data }> = {
  [EventType.createUser]: {
    required: {},
    given: {
      user_id: 77,
      nome: 'Zé Ninguém',
      email: 'ze@example.org',
      cpf: '52998224725',
      data_criacao: '2020-02-29T12:34:56.789Z'
    }
  },
  [EventType.updateSubscription]: {
    required: USER,
    given: { ...USER, plano: 'Premium', inicio: '2021-05-01', fim: '2021-12-31' }
  },
  [EventType.recordPayment]: {
    required: USER,
    given: {
      ...USER,
      valor: 99.99,
      forma_pagamento: 'Boleto',
      status: 'recusado',
      data_pagamento: '2019-01-01T00:00:00.000Z'
    }
  },
  [EventType.updatePreferences]: {
    required: USER,
    given: { ...USER, idioma: 'fr-FR', notificacoes: false, tema: 'claro' }
  },
  [EventType.recordViewing]: {
    required: USER,
    given: {
      ...USER,
      conteudo_id: 'abc_XYZ-1',
      titulo: 'Título do Cliente',
      tipo: 'documentário',
      tempo_assistido: 1440,
      posicao: 0
    }
  },
  [EventType.getViewingHistory]: {
    required: USER,
    given: { ...USER, tipo: 'série', concluido: false, limit: 100 }
  },
  [EventType.generateRecommendations]: { required: USER, given: USER },
  [EventType.getRecommendations]: { required: USER, given: USER },
  [EventType.createSession]: {
    required: USER,
    given: { ...USER, ...SESSION, dispositivo: 'Console', localizacao: 'Chapecó' }
  },
  [EventType.touchSession]: { required: SESSION, given: SESSION },
  [EventType.endSession]: { required: SESSION, given: SESSION },
  [EventType.listUserSessions]: { required: USER, given: { ...USER, ativas_apenas: false } },
  [EventType.cacheContent]: {
    required: CONTENT,
    given: {
      ...CONTENT,
      titulo: 'Filme do Cliente',
      tipo: 'filme',
      categoria: 'Faroeste',
      descricao: 'Sinopse escrita pelo cliente.',
      duracao_minutos: 1,
      ano_lancamento: 1888,
      classificacao: '18',
      avaliacao: 0
    }
  },
  [EventType.getCachedContent]: { required: CONTENT, given: CONTENT }
}

test('there is a completer for every operation', () => {
  assert.deepEqual(Object.keys(completers).sort(), [...requestEventTypes].sort())
})

for (const eventType of requestEventTypes) {
  const { required, given } = cases[eventType]
  const schema = operations[eventType].data

  const owned = gatewayOwned[eventType] ?? []
  const kept = Object.entries(given).filter(([key]) => !owned.includes(key))

  describe(eventType, () => {
    test('completing the minimal input passes the contract, 200 times', () => {
      for (let index = 0; index < 200; index++) {
        const out = complete(eventType, { ...required })
        assert.equal(
          Value.Check(schema, out),
          true,
          `${JSON.stringify(out)}: ${problems(schema, out)}`
        )
        for (const [key, value] of Object.entries(required)) assert.deepEqual(out[key], value)
      }
    })

    test('a complete input comes out unchanged, but for gateway-owned fields', () => {
      assert.equal(problems(schema, given), '', 'the test case itself satisfies the contract')
      const out = complete(eventType, { ...given })
      assert.deepEqual(out, {
        ...given,
        ...Object.fromEntries(owned.map((key) => [key, out[key]]))
      })
      for (const key of owned) assert.notEqual(out[key], given[key], key)
    })

    test('each given field is kept exactly, the others generated', () => {
      for (const [key, value] of kept) {
        const out = complete(eventType, { ...required, [key]: value })
        assert.deepEqual(out[key], value, key)
        assert.equal(problems(schema, out), '', `${key}: ${JSON.stringify(out)}`)
      }
    })

    test('fields outside the contract are not carried into the event', () => {
      const out = complete(eventType, { ...required, intruso: 'x' })
      assert.equal('intruso' in out, false)
    })

    test('completeRequest dispatches to the same completer', () => {
      const now = new Date('2026-03-10T08:00:00.000Z')
      const out = completeRequest(eventType, { ...given } as never, now) as Data
      assert.equal(problems(schema, out), '')
      for (const [key, value] of kept) assert.deepEqual(out[key], value)
    })
  })
}

test('defaults of the read operations are applied when absent', () => {
  assert.deepEqual(complete(EventType.getViewingHistory, { user_id: 9 }), {
    user_id: 9,
    limit: 10
  })
  assert.deepEqual(complete(EventType.listUserSessions, { user_id: 9 }), {
    user_id: 9,
    ativas_apenas: true
  })
})

test('dates derive from the injected instant', () => {
  const now = new Date('2026-01-15T23:59:59.000Z')
  assert.equal(complete(EventType.createUser, {}, now).data_criacao, now.toISOString())
  assert.equal(complete(EventType.recordPayment, USER, now).data_pagamento, now.toISOString())
  const subscription = complete(EventType.updateSubscription, USER, now)
  assert.equal(subscription.inicio, '2026-01-15')
  assert.equal(subscription.fim, '2026-02-14')
})
