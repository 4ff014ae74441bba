import { faker } from '@faker-js/faker/locale/pt_BR'
import type { GetViewingHistoryData, RecordViewingData, UserOnlyData } from '@streaming/contracts'
import type { Given } from './common.ts'
import { contentFacts, fakeContentId } from './content.ts'

export const DEFAULT_HISTORY_LIMIT = 10

/** A position in %, one decimal; about a third of the views reach the 90 % that counts as done. */
export const fakePosition = (): number =>
  faker.datatype.boolean({ probability: 0.35 })
    ? faker.number.float({ min: 90, max: 100, fractionDigits: 1 })
    : faker.number.float({ min: 0, max: 89.9, fractionDigits: 1 })

/**
 * Title and type come from the catalogue facts of the content id. Minutes watched follow the
 * position and the content's length, so a view at 50 % of a 120-minute film lasted 60 minutes.
 */
export function completeRecordViewing(
  input: Given<RecordViewingData, 'user_id'>,
  now: Date = new Date()
): RecordViewingData {
  const conteudoId = input.conteudo_id ?? fakeContentId()
  const facts = contentFacts(conteudoId, input.tipo, now)
  const posicao = input.posicao ?? fakePosition()
  const watched = Math.round((facts.duracao_minutos * posicao) / 100)
  return {
    user_id: input.user_id,
    conteudo_id: conteudoId,
    titulo: input.titulo ?? facts.titulo,
    tipo: facts.tipo,
    tempo_assistido: input.tempo_assistido ?? Math.min(180, Math.max(1, watched)),
    posicao
  }
}

export function completeGetViewingHistory(
  input: Given<GetViewingHistoryData, 'user_id'>
): GetViewingHistoryData {
  return {
    user_id: input.user_id,
    ...(input.tipo !== undefined && { tipo: input.tipo }),
    ...(input.concluido !== undefined && { concluido: input.concluido }),
    limit: input.limit ?? DEFAULT_HISTORY_LIMIT
  }
}

export const completeUserOnly = (input: UserOnlyData): UserOnlyData => ({ user_id: input.user_id })
