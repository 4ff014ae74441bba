import { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

export const cacheConteudo: Handler<typeof EventType.cacheContent> = async (data, ctx) => {
  const { content, ttlSeconds } = await ctx.redis.content.put(data, ctx.now())
  return {
    message: `Conteúdo ${content.conteudo_id} armazenado no cache por ${ttlSeconds} s`,
    data: { conteudo: content, ttl_segundos: ttlSeconds }
  }
}
