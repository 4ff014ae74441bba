import type { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

export const obterHistoricoVisualizacao: Handler<typeof EventType.getViewingHistory> = async (
  data,
  ctx
) => {
  const historico = await ctx.mongodb.history.list({
    user_id: data.user_id,
    tipo: data.tipo,
    concluido: data.concluido,
    limit: data.limit
  })
  const total = historico.length
  const message =
    total === 0
      ? `Nenhuma visualização encontrada para o usuário ${data.user_id}`
      : `${total} ${total === 1 ? 'visualização encontrada' : 'visualizações encontradas'} para o usuário ${data.user_id}`
  return { message, data: { user_id: data.user_id, total, historico } }
}
