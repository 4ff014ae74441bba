import type { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

export const atualizarConfig: Handler<typeof EventType.updatePreferences> = async (data, ctx) => {
  const preferencias = await ctx.postgres.upsertPreferences(data)
  return {
    message: `Preferências do usuário ${preferencias.user_id} atualizadas`,
    data: { preferencias }
  }
}
