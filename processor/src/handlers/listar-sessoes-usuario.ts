import { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

export const listarSessoesUsuario: Handler<typeof EventType.listUserSessions> = async (
  data,
  ctx
) => {
  // Anything but an explicit false keeps the documented default (active sessions only).
  const activeOnly = data.ativas_apenas !== false
  const sessions = await ctx.redis.sessions.listByUser(data.user_id, activeOnly, ctx.now())
  const count = sessions.length
  const noun = count === 1 ? 'sessão' : 'sessões'
  const qualifier = activeOnly ? (count === 1 ? ' ativa' : ' ativas') : ''
  return {
    message: `Usuário ${data.user_id} tem ${count} ${noun}${qualifier}`,
    data: { user_id: data.user_id, ativas_apenas: activeOnly, total: count, sessoes: sessions }
  }
}
