import { EventType } from '@streaming/contracts'
import { sessionNotFound } from '../errors.ts'
import type { Handler } from './types.ts'

// Ending a session already ended answers the same success: DELETE is idempotent.
export const encerrarSessao: Handler<typeof EventType.endSession> = async (data, ctx) => {
  const session = await ctx.redis.sessions.end(data.session_id, ctx.now())
  if (session === null) throw sessionNotFound(data.session_id)
  return { message: `Sessão ${session.session_id} encerrada`, data: { ...session } }
}
