// The PostgreSQL store on a real server (a database of the test's own, migrated): a user created
// once whatever the redeliveries and refused when another has its id, e-mail (in any case) or
// CPF, payments recorded once per event, upserts, and the server's own refusals (a missing user,
// a check) passed through unchanged.
// postgres.test.ts tests the store's statements and mapping without a server.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { ErrorCode, type CreateUserData } from '@streaming/contracts'
import { createPostgresPool } from '../../../test/helpers/platform.ts'
import { OperationError } from '../../src/errors.ts'
import { migratePostgres } from '../../src/stores/postgres-migrations.ts'
import { createPostgresStore } from '../../src/stores/postgres.ts'

const user: CreateUserData = {
  user_id: 42,
  nome: 'Ana Souza',
  email: 'Ana.Souza@example.com',
  cpf: '52998224725',
  data_criacao: '2026-11-24T10:00:00.000Z'
}

const isDuplicate = (field: RegExp) => (err: unknown) => {
  assert.ok(err instanceof OperationError)
  assert.equal(err.code, ErrorCode.duplicate)
  assert.equal(err.retryable, false)
  assert.match(err.message, field)
  return true
}

test('createUser: once per event, a duplicate on id, e-mail in any case or CPF', async (t) => {
  const pool = await createPostgresPool(t)
  await migratePostgres(pool)
  const store = createPostgresStore(pool)
  const eventId = randomUUID()

  assert.equal(await store.userExists(42), false)
  assert.deepEqual(await store.createUser(user, eventId), { user, replayed: false })
  assert.deepEqual(await store.createUser(user, eventId), { user, replayed: true }, 'redelivered')
  assert.equal(await store.userExists(42), true)

  await assert.rejects(
    store.createUser({ ...user, email: 'other@example.com', cpf: '11144477735' }, randomUUID()),
    isDuplicate(/^Já existe um usuário com user_id 42$/)
  )
  await assert.rejects(
    store.createUser(
      { ...user, user_id: 43, email: 'ANA.SOUZA@example.com', cpf: '11144477735' },
      randomUUID()
    ),
    isDuplicate(/^Já existe um usuário com email ANA\.SOUZA@example\.com$/)
  )
  await assert.rejects(
    store.createUser({ ...user, user_id: 43, email: 'other@example.com' }, randomUUID()),
    isDuplicate(/^Já existe um usuário com CPF 52998224725$/)
  )
  const { rows } = await pool.query('SELECT user_id FROM usuarios')
  assert.equal(rows.length, 1, 'one row, however many attempts')

  // What the schema refuses passes through as the server said it.
  await assert.rejects(
    store.createUser({ ...user, user_id: 44, email: 'x@example.com', cpf: '123' }, randomUUID()),
    (err: { code?: string }) => !(err instanceof OperationError) && err.code === '23514'
  )
})

test('subscriptions, payments and preferences: upserts, and a payment once per event', async (t) => {
  const pool = await createPostgresPool(t)
  await migratePostgres(pool)
  const store = createPostgresStore(pool)

  const subscription = { user_id: 42, plano: 'Premium', inicio: '2026-01-01', fim: '2026-12-31' }
  type Subscription = Parameters<typeof store.upsertSubscription>[0]
  // No such user yet: the foreign key refuses, and that is not retried.
  await assert.rejects(
    store.upsertSubscription(subscription as Subscription),
    (err: { code?: string }) => !(err instanceof OperationError) && err.code === '23503'
  )
  await store.createUser(user, randomUUID())
  assert.deepEqual(await store.upsertSubscription(subscription as Subscription), {
    ...subscription,
    status: 'ativa'
  })
  const renewed = { ...subscription, plano: 'Básico', fim: '2027-12-31' }
  assert.deepEqual(await store.upsertSubscription(renewed as Subscription), {
    ...renewed,
    status: 'ativa'
  })

  const payment = {
    user_id: 42,
    valor: 19.9,
    forma_pagamento: 'Pix',
    status: 'aprovado',
    data_pagamento: '2026-11-24T10:00:00.000Z'
  }
  type Payment = Parameters<typeof store.recordPayment>[0]
  const eventId = randomUUID()
  const first = await store.recordPayment(payment as Payment, eventId)
  assert.deepEqual(first, { pagamento_id: first.pagamento_id, ...payment })
  assert.deepEqual(await store.recordPayment(payment as Payment, eventId), first, 'redelivered')
  const second = await store.recordPayment(payment as Payment, randomUUID())
  assert.notEqual(second.pagamento_id, first.pagamento_id, 'another event, another payment')
  const { rows } = await pool.query('SELECT pagamento_id FROM pagamentos')
  assert.equal(rows.length, 2)

  type Preferences = Parameters<typeof store.upsertPreferences>[0]
  const preferences = { user_id: 42, idioma: 'pt-BR', notificacoes: true, tema: 'escuro' }
  assert.deepEqual(await store.upsertPreferences(preferences as Preferences), preferences)
  const changed = { ...preferences, notificacoes: false, tema: 'sistema' }
  assert.deepEqual(await store.upsertPreferences(changed as Preferences), changed)
  await store.ping()
})
