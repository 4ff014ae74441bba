import {
  CreateUserData,
  EventType,
  RecordPaymentData,
  UpdatePreferencesData,
  UpdateSubscriptionData,
  UserId
} from '@streaming/contracts'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { operationRoute } from './operation-route.ts'
import { Tag } from './tags.ts'

const tags = [Tag.usuarios]
const UserParams = Type.Object({ user_id: UserId })
const withoutUser = <S extends Parameters<typeof Type.Omit>[0]>(schema: S) =>
  Type.Partial(Type.Omit(schema, ['user_id']))

export default async function usuarios(app: FastifyInstance) {
  operationRoute(app, {
    eventType: EventType.createUser,
    tags,
    summary: 'Create a user',
    description: 'Inserts into `usuarios`; a duplicate user_id, email or CPF gets an error reply.',
    input: Type.Partial(CreateUserData),
    echo: (data) => ({ usuario: data }),
    mensagem: 'Criação de usuário aceita; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.updateSubscription,
    tags,
    summary: "Create or change a user's subscription",
    description:
      'Upserts one row per user in `assinaturas` (status `ativa`); fim defaults to inicio + 30 days.',
    params: UserParams,
    input: withoutUser(UpdateSubscriptionData),
    check: (data) =>
      data.fim < data.inicio
        ? `fim (${data.fim}) não pode ser anterior a inicio (${data.inicio})`
        : undefined,
    echo: (data) => ({ assinatura: data }),
    mensagem: 'Atualização de assinatura aceita; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.recordPayment,
    tags,
    summary: 'Record a payment',
    description: 'Inserts into `pagamentos`.',
    params: UserParams,
    input: withoutUser(RecordPaymentData),
    echo: (data) => ({ pagamento: data }),
    mensagem: 'Registro de pagamento aceito; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.updatePreferences,
    tags,
    summary: "Update a user's preferences",
    description: 'Upserts one row per user in `preferencias`.',
    params: UserParams,
    input: withoutUser(UpdatePreferencesData),
    echo: (data) => ({ config: data }),
    mensagem: 'Atualização de preferências aceita; acompanhe em status_url'
  })
}
