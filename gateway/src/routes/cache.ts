import { CacheContentData, ContentId, EventType } from '@streaming/contracts'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { operationRoute } from './operation-route.ts'
import { Tag } from './tags.ts'

const tags = [Tag.cache]
const ContentParams = Type.Object({ conteudo_id: ContentId })

export default async function cache(app: FastifyInstance) {
  operationRoute(app, {
    eventType: EventType.cacheContent,
    tags,
    summary: 'Cache a content entry',
    description: 'Writes the content hash with a 1 h expiry; omitted fields are generated.',
    params: ContentParams,
    input: Type.Partial(Type.Omit(CacheContentData, ['conteudo_id'])),
    echo: (data) => ({ conteudo: data }),
    mensagem: 'Cache de conteúdo aceito; acompanhe em status_url'
  })

  operationRoute(app, {
    eventType: EventType.getCachedContent,
    tags,
    summary: 'Read a cached content entry',
    description:
      'A hit replies with the content and `cache_hit: true`; a miss is a success with `cache_hit: false`.',
    params: ContentParams,
    echo: (data) => ({ conteudo_id: data.conteudo_id }),
    mensagem: 'Consulta ao cache aceita; o resultado estará em status_url'
  })
}
