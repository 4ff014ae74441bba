import { EventType, UserId, UserOnlyData } from '@streaming/contracts'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { operationRoute } from './operation-route.ts'
import { Tag } from './tags.ts'

const tags = [Tag.recomendacoes]

export default async function recomendacoes(app: FastifyInstance) {
  operationRoute(app, {
    eventType: EventType.generateRecommendations,
    tags,
    summary: "Generate a user's recommendations from the viewing history",
    description:
      "Replaces the user's previous set in `recomendacoes`; no history gives 5 trending items.",
    input: Type.Partial(UserOnlyData),
    required: ['user_id'],
    echo: (data) => ({ user_id: data.user_id }),
    mensagem: 'Geração de recomendações aceita; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.getRecommendations,
    tags,
    summary: "A user's current recommendations",
    params: Type.Object({ user_id: UserId }),
    echo: (data) => ({ user_id: data.user_id }),
    mensagem: 'Consulta de recomendações aceita; o resultado estará em status_url'
  })
}
