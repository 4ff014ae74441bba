import type { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' })

export const pagamentoRealizado: Handler<typeof EventType.recordPayment> = async (data, ctx) => {
  const pagamento = await ctx.postgres.recordPayment(data, ctx.eventId)
  return {
    message: `Pagamento de ${brl.format(pagamento.valor)} (${pagamento.forma_pagamento}) registrado para o usuário ${pagamento.user_id}`,
    data: { pagamento }
  }
}
