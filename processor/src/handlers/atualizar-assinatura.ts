import type { EventType } from '@streaming/contracts'
import { invalidRequest } from '../errors.ts'
import type { Handler } from './types.ts'

export const atualizarAssinatura: Handler<typeof EventType.updateSubscription> = async (
  data,
  ctx
) => {
  if (data.fim < data.inicio) {
    throw invalidRequest(`A data de fim (${data.fim}) é anterior à de início (${data.inicio})`)
  }
  const assinatura = await ctx.postgres.upsertSubscription(data)
  return {
    message: `Assinatura ${assinatura.plano} ativa para o usuário ${assinatura.user_id} até ${assinatura.fim}`,
    data: { assinatura }
  }
}
