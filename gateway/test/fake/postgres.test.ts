import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CreateUserData, isValidCpf } from '@streaming/contracts'
import Value from 'typebox/value'
import {
  addDays,
  completeCreateUser,
  completeRecordPayment,
  completeUpdateSubscription,
  createUserIdGenerator,
  fakeCpf,
  fakeEmail,
  fakeName,
  nextUserId
} from '../../src/fake/index.ts'

const DAY_MS = 86_400_000

test('generated CPFs have valid check digits and are never one repeated digit', () => {
  for (let index = 0; index < 1000; index++) {
    const cpf = fakeCpf()
    assert.match(cpf, /^\d{11}$/)
    assert.ok(isValidCpf(cpf), cpf)
    assert.doesNotMatch(cpf, /^(\d)\1{10}$/)
  }
  for (let index = 0; index < 1000; index++) assert.ok(isValidCpf(completeCreateUser({}).cpf))
})

test('user ids are unique over 100k generations in a tight loop, and not short randoms', () => {
  const ids = new Set<number>()
  for (let index = 0; index < 100_000; index++) ids.add(nextUserId())
  assert.equal(ids.size, 100_000)
  for (const id of ids) {
    assert.ok(Number.isSafeInteger(id) && id > 10_000, String(id))
  }
  const id = completeCreateUser({}).user_id
  assert.ok(id > Date.now() * 100, 'derived from the current time')
})

test('user ids stay unique with a frozen or backward clock and a constant random source', () => {
  let time = 1_800_000_000_000
  const next = createUserIdGenerator(
    () => (time -= 1),
    () => 0.5
  )
  const ids = Array.from({ length: 10_000 }, next)
  assert.equal(new Set(ids).size, ids.length)
  const frozen = createUserIdGenerator(
    () => 1_800_000_000_000,
    () => 0.999
  )
  assert.equal(new Set(Array.from({ length: 10_000 }, frozen)).size, 10_000)
})

test('names are Brazilian full names without titles', () => {
  for (let index = 0; index < 500; index++) {
    const nome = fakeName()
    assert.ok(nome.split(' ').length >= 2, nome)
    assert.doesNotMatch(nome, /\b(Dr|Dra|Sr|Sra|Srta)\.|\b(Jr|Neto|Filho)\.$/)
  }
})

test('the e-mail derives from the name, in ASCII, and is unique per user id', () => {
  const user = completeCreateUser({ nome: 'José da Conceição' })
  assert.match(user.email, /^jose\.conceicao\.[a-z0-9]+@[a-z.]+$/)
  assert.match(fakeEmail('李小龍', 1), /^usuario\.1@/)
  assert.ok(Value.Check(CreateUserData.properties.email, fakeEmail('A'.repeat(200), 2 ** 53 - 1)))

  const emails = new Set<string>()
  for (let index = 0; index < 10_000; index++) {
    const { email, nome } = completeCreateUser({ nome: 'Maria Silva' })
    assert.equal(nome, 'Maria Silva')
    emails.add(email.split('@')[0] ?? '')
  }
  assert.equal(emails.size, 10_000, 'local parts differ even for one name')
})

test('a generated subscription lasts 30 days from today (UTC)', () => {
  for (let index = 0; index < 200; index++) {
    const { inicio, fim } = completeUpdateSubscription({ user_id: 1 })
    assert.equal(inicio, new Date().toISOString().slice(0, 10))
    assert.equal(Date.parse(fim) - Date.parse(inicio), 30 * DAY_MS)
  }
  const lateEvening = new Date('2026-12-31T23:30:00.000-03:00')
  assert.deepEqual(completeUpdateSubscription({ user_id: 1, plano: 'Básico' }, lateEvening), {
    user_id: 1,
    plano: 'Básico',
    inicio: '2027-01-01',
    fim: '2027-01-31'
  })
})

test('fim is the given inicio + 30 days, across months and leap days', () => {
  const fimOf = (inicio: string) => completeUpdateSubscription({ user_id: 1, inicio }).fim
  assert.equal(fimOf('2024-02-15'), '2024-03-16')
  assert.equal(fimOf('2025-02-15'), '2025-03-17')
  assert.equal(fimOf('2025-12-15'), '2026-01-14')
  assert.equal(fimOf('9999-12-20'), '9999-12-31')
})

test('with only fim given, the subscription starts today unless fim is already past', () => {
  const now = new Date('2026-06-01T12:00:00.000Z')
  assert.equal(
    completeUpdateSubscription({ user_id: 1, fim: '2026-08-01' }, now).inicio,
    '2026-06-01'
  )
  assert.equal(
    completeUpdateSubscription({ user_id: 1, fim: '2026-03-31' }, now).inicio,
    '2026-03-01'
  )
  assert.equal(addDays('0000-01-10', -30), '0000-01-01')
})

test('payments: 19.90 to 49.90 in whole cents, mostly approved', () => {
  let approved = 0
  for (let index = 0; index < 2000; index++) {
    const payment = completeRecordPayment({ user_id: 1 })
    assert.ok(payment.valor >= 19.9 && payment.valor <= 49.9, String(payment.valor))
    assert.equal(Math.round(payment.valor * 100) / 100, payment.valor)
    if (payment.status === 'aprovado') approved++
  }
  assert.ok(approved > 1500, `${approved} of 2000 approved`)
})
