import Type, { type Static } from 'typebox'
import { ContentId, MAX_INT32, ShortText, UserId } from '../fields.ts'

/** Operations whose data lives in MongoDB: viewing history and recommendations. */

export const TipoConteudo = Type.Enum(['filme', 'série', 'documentário'], {
  description: 'content type'
})

export const RecordViewingData = Type.Object(
  {
    user_id: UserId,
    conteudo_id: ContentId,
    titulo: ShortText('content title'),
    tipo: TipoConteudo,
    tempo_assistido: Type.Integer({
      minimum: 0,
      maximum: MAX_INT32,
      description:
        'minutes watched: not negative; at most 2^31 − 1, so that it stays a 32-bit integer in every store (a series binge or a live stream can pass a day)'
    }),
    posicao: Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'position reached, in % of the content (0–100)'
    })
  },
  { additionalProperties: false }
)
export type RecordViewingData = Static<typeof RecordViewingData>

export const GetViewingHistoryData = Type.Object(
  {
    user_id: UserId,
    tipo: Type.Optional(TipoConteudo),
    concluido: Type.Optional(Type.Boolean()),
    limit: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 10,
      description: 'entries in the reply, 1–100: the reply travels in one Kafka message'
    })
  },
  { additionalProperties: false }
)
export type GetViewingHistoryData = Static<typeof GetViewingHistoryData>

export const UserOnlyData = Type.Object({ user_id: UserId }, { additionalProperties: false })
export type UserOnlyData = Static<typeof UserOnlyData>
