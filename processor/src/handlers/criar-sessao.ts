import { EventType } from '@streaming/contracts'
import { duplicate } from '../errors.ts'
import type { Handler } from './types.ts'

export const criarSessao: Handler<typeof EventType.createSession> = async (data, ctx) => {
  const { created, session } = await ctx.redis.sessions.create(data, ctx.now())
  // The id is the gateway's UUID; an existing session under another user is a conflict, while
  // one under the same user is this request delivered again.
  if (!created && session.user_id !== data.user_id) {
    throw duplicate(`Sessão ${data.session_id} já existe para outro usuário`)
  }
  return {
    message: `Sessão ${session.session_id} criada para o usuário ${session.user_id}`,
    data: { ...session }
  }
}
