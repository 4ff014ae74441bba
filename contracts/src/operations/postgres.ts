import Type, { type Static } from 'typebox'
import { IsoDate, IsoDateTime, ShortText, UserId } from '../fields.ts'

/** Operations whose data lives in PostgreSQL: users, subscriptions, payments, preferences. */

export const Plano = Type.Enum(['Básico', 'Padrão', 'Premium'], {
  description: 'subscription plan'
})
export const FormaPagamento = Type.Enum(['Cartão', 'Pix', 'Boleto'], {
  description: 'payment method'
})
export const StatusPagamento = Type.Enum(['aprovado', 'pendente', 'recusado'], {
  description: 'payment status'
})
export const Idioma = Type.Enum(['pt-BR', 'en-US', 'es-ES', 'fr-FR'])
export const Tema = Type.Enum(['escuro', 'claro', 'sistema'])

export const CreateUserData = Type.Object(
  {
    user_id: UserId,
    nome: ShortText('full name'),
    email: Type.String({
      format: 'email',
      maxLength: 254,
      description: 'e-mail address, unique per user; at most 254 characters (RFC 5321)'
    }),
    cpf: Type.String({
      format: 'cpf',
      pattern: '^[0-9]{11}$',
      description: 'CPF, unique per user: 11 digits whose last two are valid check digits'
    }),
    data_criacao: IsoDateTime
  },
  { additionalProperties: false }
)
export type CreateUserData = Static<typeof CreateUserData>

export const UpdateSubscriptionData = Type.Object(
  {
    user_id: UserId,
    plano: Plano,
    inicio: IsoDate,
    fim: IsoDate
  },
  { additionalProperties: false }
)
export type UpdateSubscriptionData = Static<typeof UpdateSubscriptionData>

export const RecordPaymentData = Type.Object(
  {
    user_id: UserId,
    valor: Type.Number({
      exclusiveMinimum: 0,
      // Within a million every amount in cents is a binary double close enough to a multiple of
      // 0.01 for both validators (Ajv at 6 digits, TypeBox) to check it exactly; far above that,
      // 99,999,999.98 would fail `multipleOf` by rounding.
      maximum: 1_000_000,
      multipleOf: 0.01,
      description:
        'amount in BRL: more than 0, in cents (at most two decimals); at most 1,000,000.00, far above any charge of a streaming service',
      examples: [29.9]
    }),
    forma_pagamento: FormaPagamento,
    status: StatusPagamento,
    data_pagamento: IsoDateTime
  },
  { additionalProperties: false }
)
export type RecordPaymentData = Static<typeof RecordPaymentData>

export const UpdatePreferencesData = Type.Object(
  {
    user_id: UserId,
    idioma: Idioma,
    notificacoes: Type.Boolean(),
    tema: Tema
  },
  { additionalProperties: false }
)
export type UpdatePreferencesData = Static<typeof UpdatePreferencesData>
