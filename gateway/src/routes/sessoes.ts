import {
  CreateSessionData,
  EventType,
  ListUserSessionsData,
  SessionId,
  UserId
} from '@streaming/contracts'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { operationRoute } from './operation-route.ts'
import { Tag } from './tags.ts'

const tags = [Tag.sessoes]
const SessionParams = Type.Object({ session_id: SessionId })

export default async function sessoes(app: FastifyInstance) {
  operationRoute(app, {
    eventType: EventType.createSession,
    tags,
    summary: 'Open a session',
    description:
      'The gateway generates the session_id and returns it in the 202; the session expires without activity.',
    input: Type.Partial(Type.Omit(CreateSessionData, ['session_id'])),
    required: ['user_id'],
    echo: (data) => ({ session_id: data.session_id, sessao: data }),
    mensagem: 'Criação de sessão aceita; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.touchSession,
    tags,
    summary: "Refresh a session's last activity and expiry",
    description: 'An unknown or expired session gets an error reply.',
    params: SessionParams,
    echo: (data) => ({ session_id: data.session_id }),
    mensagem: 'Atualização de atividade aceita; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.endSession,
    tags,
    summary: 'End a session',
    params: SessionParams,
    echo: (data) => ({ session_id: data.session_id }),
    mensagem: 'Encerramento de sessão aceito; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.listUserSessions,
    tags,
    summary: "A user's sessions",
    description: '`ativas_apenas` (default true) lists only active sessions.',
    params: Type.Object({ user_id: UserId }),
    input: Type.Partial(Type.Omit(ListUserSessionsData, ['user_id'])),
    echo: (data) => ({ user_id: data.user_id, ativas_apenas: data.ativas_apenas }),
    mensagem: 'Consulta de sessões aceita; o resultado estará em status_url'
  })
}
