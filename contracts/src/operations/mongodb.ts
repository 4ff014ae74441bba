import Type, { type Static } from 'typebox'
import { ContentId, ShortText, UserId } from '../fields.ts'

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
    tempo_assistido: Type.Integer({ minimum: 0, maximum: 1440, description: 'minutes watched' }),
    posicao: Type.Number({ minimum: 0, maximum: 100, description: 'position reached, in %' })
  },
  { additionalProperties: false }
)
export type RecordViewingData = Static<typeof RecordViewingData>

export const GetViewingHistoryData = Type.Object(
  {
    user_id: UserId,
    tipo: Type.Optional(TipoConteudo),
    concluido: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 })
  },
  { additionalProperties: false }
)
export type GetViewingHistoryData = Static<typeof GetViewingHistoryData>

export const UserOnlyData = Type.Object({ user_id: UserId }, { additionalProperties: false })
export type UserOnlyData = Static<typeof UserOnlyData>
