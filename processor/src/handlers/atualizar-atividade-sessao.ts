import { ErrorCode, EventType } from '@streaming/contracts'
import { OperationError, sessionNotFound } from '../errors.ts'
import { SessionStatus } from '../stores/redis.ts'
import type { Handler } from './types.ts'

export const atualizarAtividadeSessao: Handler<typeof EventType.touchSession> = async (
  data,
  ctx
) => {
  const session = await ctx.redis.sessions.touch(data.session_id, ctx.now())
  if (session === null) throw sessionNotFound(data.session_id)
  if (session.status !== SessionStatus.active) {
    throw new OperationError(
      ErrorCode.sessionNotFound,
      `Sessão ${data.session_id} já foi encerrada; crie uma nova sessão`
    )
  }
  return {
    message: `Atividade da sessão ${session.session_id} atualizada`,
    data: { ...session }
  }
}
