import type { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

export const criarUsuario: Handler<typeof EventType.createUser> = async (data, ctx) => {
  const { user, replayed } = await ctx.postgres.createUser(data, ctx.eventId)
  if (replayed) ctx.log.info({ user_id: user.user_id }, 'user already created by this request')
  return { message: `Usuário ${user.user_id} criado`, data: { usuario: user } }
}
