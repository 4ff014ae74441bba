import type { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

/** A viewing counts as completed from this position (in %) on. */
export const COMPLETED_FROM_PERCENT = 90

export const registrarVisualizacao: Handler<typeof EventType.recordViewing> = async (data, ctx) => {
  const { viewing, replayed } = await ctx.mongodb.history.insert({
    id: ctx.eventId,
    user_id: data.user_id,
    conteudo_id: data.conteudo_id,
    titulo: data.titulo,
    tipo: data.tipo,
    tempo_assistido: data.tempo_assistido,
    posicao: data.posicao,
    concluido: data.posicao >= COMPLETED_FROM_PERCENT,
    data: ctx.now()
  })
  if (replayed) ctx.log.info({ id: viewing.id }, 'viewing already recorded by this request')
  return { message: 'Visualização registrada', data: { visualizacao: viewing } }
}
