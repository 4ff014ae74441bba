import { EventType } from '@streaming/contracts'
import type { Handler } from './types.ts'

// A miss is a normal answer of a cache, not an error: the client learns it must fetch elsewhere.
export const obterCacheConteudo: Handler<typeof EventType.getCachedContent> = async (data, ctx) => {
  const content = await ctx.redis.content.get(data.conteudo_id)
  if (content === null) {
    return {
      message: `Conteúdo ${data.conteudo_id} não está no cache`,
      data: { conteudo_id: data.conteudo_id, cache_hit: false }
    }
  }
  return {
    message: `Conteúdo ${data.conteudo_id} encontrado no cache`,
    data: { cache_hit: true, conteudo: content }
  }
}
