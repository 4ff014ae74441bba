// The PostgreSQL store with a scripted pool in place of the server (no server): the statements it
// sends and their parameters, how rows become the replies' fields (numbers, ISO timestamps, dates
// without a time-zone shift), how a redelivered user is told from a clashing one, and which
// driver errors become a retryable STORE_UNAVAILABLE. postgres.integration.test.ts runs the same
// store on a real PostgreSQL.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { ErrorCode, type CreateUserData } from '@streaming/contracts'
import pg from 'pg'
import { OperationError } from '../../src/errors.ts'
import { createPostgresStore } from '../../src/stores/postgres.ts'

interface Call {
  text: string
  values?: unknown[]
}

type Answer = Partial<pg.QueryResult> | Error

/** A pool answering each query with the next scripted answer, recording what it was sent. */
function scriptedPool(...answers: Answer[]) {
  const calls: Call[] = []
  const pool = {
    query: async (text: string, values?: unknown[]) => {
      calls.push({ text, values })
      const answer = answers.shift()
      if (answer === undefined) throw new Error(`unexpected query: ${text}`)
      if (answer instanceof Error) throw answer
      return { rows: [], rowCount: answer.rows?.length ?? 0, ...answer }
    }
  }
  return { store: createPostgresStore(pool as unknown as pg.Pool), calls }
}

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })
const sql = (text: string) => text.replace(/\s+/g, ' ').trim()

const user: CreateUserData = {
  user_id: 42,
  nome: 'Ana Souza',
  email: 'Ana.Souza@example.com',
  cpf: '52998224725',
  data_criacao: '2026-11-24T10:00:00.000Z'
}
const row = {
  user_id: '42',
  nome: 'Ana Souza',
  email: 'Ana.Souza@example.com',
  cpf: '52998224725',
  data_criacao: new Date('2026-11-24T10:00:00.000Z')
}
const stored = { ...user }

test('createUser: a new user is inserted once, its row read back with a numeric id', async () => {
  const eventId = randomUUID()
  const { store, calls } = scriptedPool({ rows: [row] })
  assert.deepEqual(await store.createUser(user, eventId), { user: stored, replayed: false })
  assert.equal(calls.length, 1)
  assert.match(sql(calls[0]!.text), /^INSERT INTO usuarios .* ON CONFLICT DO NOTHING RETURNING /)
  assert.deepEqual(calls[0]!.values, [
    42,
    'Ana Souza',
    'Ana.Souza@example.com',
    '52998224725',
    '2026-11-24T10:00:00.000Z',
    eventId
  ])
})

test('createUser: the same event delivered again finds its own row and succeeds again', async () => {
  const eventId = randomUUID()
  const { store, calls } = scriptedPool({ rows: [] }, { rows: [{ ...row, event_id: eventId }] })
  assert.deepEqual(await store.createUser(user, eventId), { user: stored, replayed: true })
  assert.equal(calls.length, 2)
  // The clash is looked for on every unique column, the e-mail without regard to case.
  assert.match(
    sql(calls[1]!.text),
    /WHERE user_id = \$1 OR lower\(email\) = lower\(\$2\) OR cpf = \$3 OR event_id = \$4/
  )
  assert.deepEqual(calls[1]!.values, [42, 'Ana.Souza@example.com', '52998224725', eventId])
})

test('createUser: a clash with other users is a DUPLICATE naming each field once, not retried', async () => {
  const clashing = [
    // Another user with this id and this e-mail (in another case) …
    { ...row, email: 'ana.souza@EXAMPLE.com', cpf: '11144477735', event_id: randomUUID() },
    // … and one with this CPF and, again, this e-mail.
    { ...row, user_id: '7', email: 'ANA.SOUZA@example.com', event_id: randomUUID() }
  ]
  const { store } = scriptedPool({ rows: [] }, { rows: clashing })
  await assert.rejects(store.createUser(user, randomUUID()), (err: unknown) => {
    assert.ok(err instanceof OperationError)
    assert.equal(err.code, ErrorCode.duplicate)
    assert.equal(err.retryable, false)
    assert.equal(
      err.message,
      'Já existe um usuário com user_id 42, email Ana.Souza@example.com, CPF 52998224725'
    )
    return true
  })

  // The clashing row gone between the two statements: still a duplicate, said generally.
  const { store: raced } = scriptedPool({ rows: [] }, { rows: [] })
  await assert.rejects(raced.createUser(user, randomUUID()), {
    code: ErrorCode.duplicate,
    message: 'Já existe um usuário com esses dados'
  })
})

test('upsertSubscription: dates come back as the calendar day stored, in any time zone', async () => {
  // node-postgres reads a DATE as local midnight of that day.
  const { store, calls } = scriptedPool({
    rows: [
      {
        user_id: '42',
        plano: 'Premium',
        inicio: new Date(2026, 0, 1),
        fim: new Date(2026, 11, 31),
        status: 'ativa'
      }
    ]
  })
  const subscription = { user_id: 42, plano: 'Premium', inicio: '2026-01-01', fim: '2026-12-31' }
  assert.deepEqual(
    await store.upsertSubscription(subscription as Parameters<typeof store.upsertSubscription>[0]),
    { user_id: 42, plano: 'Premium', inicio: '2026-01-01', fim: '2026-12-31', status: 'ativa' }
  )
  assert.match(sql(calls[0]!.text), /ON CONFLICT \(user_id\) DO UPDATE .*status = 'ativa'/)
  assert.deepEqual(calls[0]!.values, [42, 'Premium', '2026-01-01', '2026-12-31'])
})

test('recordPayment: one statement inserts or reads back the payment of this event', async () => {
  const eventId = randomUUID()
  const { store, calls } = scriptedPool({
    rows: [
      {
        pagamento_id: '7',
        user_id: '42',
        valor: '19.90',
        forma_pagamento: 'Pix',
        status: 'aprovado',
        data_pagamento: new Date('2026-11-24T10:00:00.000Z')
      }
    ]
  })
  const payment = {
    user_id: 42,
    valor: 19.9,
    forma_pagamento: 'Pix',
    status: 'aprovado',
    data_pagamento: '2026-11-24T10:00:00.000Z'
  }
  assert.deepEqual(
    await store.recordPayment(payment as Parameters<typeof store.recordPayment>[0], eventId),
    {
      pagamento_id: 7,
      user_id: 42,
      valor: 19.9,
      forma_pagamento: 'Pix',
      status: 'aprovado',
      data_pagamento: '2026-11-24T10:00:00.000Z'
    }
  )
  assert.equal(calls.length, 1)
  assert.match(sql(calls[0]!.text), /ON CONFLICT \(event_id\) DO NOTHING/)
  assert.match(sql(calls[0]!.text), /UNION ALL SELECT \* FROM pagamentos WHERE event_id = \$1/)
  assert.deepEqual(calls[0]!.values, [eventId, 42, 19.9, 'Pix', 'aprovado', payment.data_pagamento])
})

test('upsertPreferences and userExists: rows become the reply’s types', async () => {
  const { store, calls } = scriptedPool(
    { rows: [{ user_id: '42', idioma: 'pt-BR', notificacoes: false, tema: 'escuro' }] },
    { rows: [{ '?column?': 1 }], rowCount: 1 },
    { rows: [], rowCount: 0 },
    { rows: [{ '?column?': 1 }] }
  )
  const preferences = { user_id: 42, idioma: 'pt-BR', notificacoes: false, tema: 'escuro' }
  assert.deepEqual(
    await store.upsertPreferences(preferences as Parameters<typeof store.upsertPreferences>[0]),
    preferences
  )
  assert.deepEqual(calls[0]!.values, [42, 'pt-BR', false, 'escuro'])
  assert.equal(await store.userExists(42), true)
  assert.equal(await store.userExists(43), false)
  assert.deepEqual(calls[2]!.values, [43])
  await store.ping()
  assert.equal(calls[3]!.text, 'SELECT 1')
})

test('a server out of reach or shutting down is a retryable STORE_UNAVAILABLE naming PostgreSQL', async () => {
  for (const cause of [
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    withCode('terminating connection due to administrator command', '57P01'),
    withCode('the database system is starting up', '57P03'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect')
  ]) {
    const { store } = scriptedPool(cause)
    await assert.rejects(store.userExists(42), (err: unknown) => {
      assert.ok(err instanceof OperationError, cause.message)
      assert.equal(err.code, ErrorCode.storeUnavailable)
      assert.equal(err.retryable, true)
      assert.match(err.message, /PostgreSQL indisponível/)
      assert.equal(err.cause, cause)
      return true
    })
  }
})

test('an error of the statement itself passes through unchanged, not retried', async () => {
  // A foreign key (no such user) and a check constraint: retrying would fail the same way.
  for (const cause of [
    withCode('insert or update on table "assinaturas" violates foreign key constraint', '23503'),
    withCode('new row for relation "pagamentos" violates check constraint', '23514')
  ]) {
    const { store } = scriptedPool(cause)
    await assert.rejects(
      store.upsertSubscription({
        user_id: 42,
        plano: 'Premium',
        inicio: '2026-01-01',
        fim: '2026-12-31'
      } as Parameters<typeof store.upsertSubscription>[0]),
      (err: unknown) => err === cause
    )
  }
})

test('the real driver, its server out of reach: a retryable STORE_UNAVAILABLE', async () => {
  // A closed port: the connection is refused at once.
  const pool = new pg.Pool({
    connectionString: 'postgres://streaming:streaming@127.0.0.1:1/streaming',
    connectionTimeoutMillis: 2_000
  })
  try {
    await assert.rejects(createPostgresStore(pool).ping(), {
      name: 'OperationError',
      code: ErrorCode.storeUnavailable,
      retryable: true
    })
  } finally {
    await pool.end()
  }
})
