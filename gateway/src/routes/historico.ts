import { EventType, GetViewingHistoryData, RecordViewingData, UserId } from '@streaming/contracts'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { operationRoute } from './operation-route.ts'
import { Tag } from './tags.ts'

const tags = [Tag.historico]

export default async function historico(app: FastifyInstance) {
  operationRoute(app, {
    eventType: EventType.recordViewing,
    tags,
    summary: 'Record a viewing',
    description: 'Inserts into `historico_visualizacao`; `concluido` is `posicao ≥ 90`.',
    input: Type.Partial(RecordViewingData),
    required: ['user_id'],
    echo: (data) => ({ visualizacao: data }),
    mensagem: 'Registro de visualização aceito; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.getViewingHistory,
    tags,
    summary: "A user's viewing history, newest first",
    description:
      'The reply holds the entries; filters `tipo`, `concluido`, `limit` (1–100, default 10).',
    params: Type.Object({ user_id: UserId }),
    input: Type.Partial(Type.Omit(GetViewingHistoryData, ['user_id'])),
    echo: (data) => ({ filtros: data }),
    mensagem: 'Consulta de histórico aceita; o resultado estará em status_url'
  })
}
