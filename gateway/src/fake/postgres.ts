import { faker } from '@faker-js/faker/locale/pt_BR'
import {
  cpfCheckDigits,
  type CreateUserData,
  type RecordPaymentData,
  type UpdatePreferencesData,
  type UpdateSubscriptionData
} from '@streaming/contracts'
import { addDays, isoDay, nextUserId, type Given } from './common.ts'

export const SUBSCRIPTION_DAYS = 30

/** A Brazilian full name: given name(s) and one or two surnames, without titles like "Dr.". */
export function fakeName(): string {
  const first = faker.person.firstName()
  const surname = faker.person.lastName()
  if (faker.datatype.boolean()) return `${first} ${surname}`
  const second = faker.person.lastName()
  return second === surname ? `${first} ${surname}` : `${first} ${surname} ${second}`
}

// Connectives of Brazilian names that nobody puts in an e-mail address.
const NAME_PARTICLES = new Set(['da', 'das', 'de', 'di', 'do', 'dos', 'e'])

const EMAIL_PROVIDERS = [
  'gmail.com',
  'hotmail.com',
  'outlook.com',
  'yahoo.com.br',
  'uol.com.br',
  'bol.com.br'
] as const

/**
 * An address derived from the name (first given name and last surname, ASCII) with a suffix
 * derived from `unique`: two users get the same address only if they share `unique`.
 */
export function fakeEmail(nome: string, unique: number): string {
  const words = nome
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && !NAME_PARTICLES.has(word))
    .map((word) => word.slice(0, 20))
  const first = words[0] ?? 'usuario'
  const last = words.length > 1 ? words[words.length - 1] : undefined
  const local = [first, last, unique.toString(36)].filter(Boolean).join('.')
  return `${local}@${faker.helpers.arrayElement(EMAIL_PROVIDERS)}`
}

/** Eleven digits with valid check digits, never one digit repeated (those are not CPFs). */
export function fakeCpf(): string {
  let base: number[]
  do {
    base = Array.from({ length: 9 }, () => faker.number.int(9))
  } while (base.every((digit) => digit === base[0]))
  return [...base, ...cpfCheckDigits(base)].join('')
}

export function completeCreateUser(
  input: Given<CreateUserData>,
  now: Date = new Date()
): CreateUserData {
  const userId = input.user_id ?? nextUserId()
  const nome = input.nome ?? fakeName()
  return {
    user_id: userId,
    nome,
    email: input.email ?? fakeEmail(nome, userId),
    cpf: input.cpf ?? fakeCpf(),
    data_criacao: input.data_criacao ?? now.toISOString()
  }
}

/**
 * Defaults to a 30-day subscription starting today. With only `fim` given, it starts today unless
 * that is after `fim`, then 30 days before it, so the period never ends before it starts.
 */
export function completeUpdateSubscription(
  input: Given<UpdateSubscriptionData, 'user_id'>,
  now: Date = new Date()
): UpdateSubscriptionData {
  const today = isoDay(now)
  let inicio = input.inicio
  if (inicio === undefined) {
    inicio =
      input.fim !== undefined && input.fim < today ? addDays(input.fim, -SUBSCRIPTION_DAYS) : today
  }
  return {
    user_id: input.user_id,
    plano: input.plano ?? faker.helpers.arrayElement(['Básico', 'Padrão', 'Premium']),
    inicio,
    fim: input.fim ?? addDays(inicio, SUBSCRIPTION_DAYS)
  }
}

/** An amount in whole cents from R$ 19,90 to R$ 49,90. */
export const fakePaymentAmount = (): number => faker.number.int({ min: 1990, max: 4990 }) / 100

export function completeRecordPayment(
  input: Given<RecordPaymentData, 'user_id'>,
  now: Date = new Date()
): RecordPaymentData {
  return {
    user_id: input.user_id,
    valor: input.valor ?? fakePaymentAmount(),
    forma_pagamento:
      input.forma_pagamento ??
      faker.helpers.weightedArrayElement([
        { weight: 45, value: 'Pix' },
        { weight: 40, value: 'Cartão' },
        { weight: 15, value: 'Boleto' }
      ]),
    status:
      input.status ??
      faker.helpers.weightedArrayElement([
        { weight: 85, value: 'aprovado' },
        { weight: 10, value: 'pendente' },
        { weight: 5, value: 'recusado' }
      ]),
    data_pagamento: input.data_pagamento ?? now.toISOString()
  }
}

export function completeUpdatePreferences(
  input: Given<UpdatePreferencesData, 'user_id'>
): UpdatePreferencesData {
  return {
    user_id: input.user_id,
    idioma:
      input.idioma ??
      faker.helpers.weightedArrayElement([
        { weight: 70, value: 'pt-BR' },
        { weight: 15, value: 'en-US' },
        { weight: 10, value: 'es-ES' },
        { weight: 5, value: 'fr-FR' }
      ]),
    notificacoes: input.notificacoes ?? faker.datatype.boolean({ probability: 0.75 }),
    tema:
      input.tema ??
      faker.helpers.weightedArrayElement([
        { weight: 50, value: 'escuro' },
        { weight: 30, value: 'sistema' },
        { weight: 20, value: 'claro' }
      ])
  }
}
