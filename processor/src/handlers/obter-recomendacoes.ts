import type { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

export const obterRecomendacoes: Handler<typeof EventType.getRecommendations> = async (
  data,
  ctx
) => {
  const set = await ctx.mongodb.recommendations.get(data.user_id)
  if (!set) {
    return {
      message: `O usuário ${data.user_id} ainda não tem recomendações; gere-as com POST /recomendacoes/gerar`,
      data: { user_id: data.user_id, total: 0, gerado_em: null, recomendacoes: [] }
    }
  }
  const total = set.itens.length
  return {
    message: `${total} ${total === 1 ? 'recomendação' : 'recomendações'} para o usuário ${data.user_id}`,
    data: { user_id: set.user_id, total, gerado_em: set.gerado_em, recomendacoes: set.itens }
  }
}
