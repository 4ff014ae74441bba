import Type, { type Static } from 'typebox'
import { ContentId, MAX_INT32, SessionId, ShortText, UserId } from '../fields.ts'
import { TipoConteudo } from './mongodb.ts'

/** Operations whose data lives in Redis: sessions and the content cache. */

export const Dispositivo = Type.Enum(['Android', 'iOS', 'Web', 'Smart TV', 'Console'])

export const CreateSessionData = Type.Object(
  {
    user_id: UserId,
    session_id: SessionId,
    dispositivo: Dispositivo,
    localizacao: ShortText('city')
  },
  { additionalProperties: false }
)
export type CreateSessionData = Static<typeof CreateSessionData>

export const SessionOnlyData = Type.Object(
  { session_id: SessionId },
  { additionalProperties: false }
)
export type SessionOnlyData = Static<typeof SessionOnlyData>

export const ListUserSessionsData = Type.Object(
  {
    user_id: UserId,
    ativas_apenas: Type.Boolean({ default: true, description: 'only sessions still active' })
  },
  { additionalProperties: false }
)
export type ListUserSessionsData = Static<typeof ListUserSessionsData>

export const CacheContentData = Type.Object(
  {
    conteudo_id: ContentId,
    titulo: ShortText('content title'),
    tipo: TipoConteudo,
    categoria: ShortText('genre', 60),
    descricao: ShortText('synopsis', 2000),
    duracao_minutos: Type.Integer({
      minimum: 1,
      maximum: MAX_INT32,
      description: 'length in minutes: at least 1; at most 2^31 − 1 (a 32-bit integer)'
    }),
    ano_lancamento: Type.Integer({
      minimum: 1888,
      maximum: 2100,
      description:
        'release year: 1888 is the oldest surviving film; up to 2100 for announced releases'
    }),
    classificacao: Type.Enum(['L', '10', '12', '14', '16', '18'], {
      description: 'Brazilian age rating'
    }),
    avaliacao: Type.Number({ minimum: 0, maximum: 10, description: 'rating 0–10' })
  },
  { additionalProperties: false }
)
export type CacheContentData = Static<typeof CacheContentData>

export const ContentOnlyData = Type.Object(
  { conteudo_id: ContentId },
  { additionalProperties: false }
)
export type ContentOnlyData = Static<typeof ContentOnlyData>
