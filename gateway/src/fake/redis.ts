import { randomUUID } from 'node:crypto'
import { faker } from '@faker-js/faker/locale/pt_BR'
import type {
  CacheContentData,
  ContentOnlyData,
  CreateSessionData,
  ListUserSessionsData,
  SessionOnlyData
} from '@streaming/contracts'
import { fakeCity, type Given } from './common.ts'
import { contentFacts } from './content.ts'

/** The session id is the gateway's to give: whatever the client sent under that name is ignored. */
export function completeCreateSession(
  input: Given<Omit<CreateSessionData, 'session_id'>, 'user_id'>
): CreateSessionData {
  return {
    user_id: input.user_id,
    session_id: randomUUID(),
    dispositivo:
      input.dispositivo ??
      faker.helpers.weightedArrayElement([
        { weight: 35, value: 'Android' },
        { weight: 25, value: 'Smart TV' },
        { weight: 20, value: 'iOS' },
        { weight: 15, value: 'Web' },
        { weight: 5, value: 'Console' }
      ]),
    localizacao: input.localizacao ?? fakeCity()
  }
}

export const completeSessionOnly = (input: SessionOnlyData): SessionOnlyData => ({
  session_id: input.session_id
})

export function completeListUserSessions(
  input: Given<ListUserSessionsData, 'user_id'>
): ListUserSessionsData {
  return { user_id: input.user_id, ativas_apenas: input.ativas_apenas ?? true }
}

export function completeCacheContent(
  input: Given<CacheContentData, 'conteudo_id'>,
  now: Date = new Date()
): CacheContentData {
  const facts = contentFacts(input.conteudo_id, input.tipo, now)
  return {
    conteudo_id: input.conteudo_id,
    titulo: input.titulo ?? facts.titulo,
    tipo: facts.tipo,
    categoria: input.categoria ?? facts.categoria,
    descricao: input.descricao ?? facts.descricao,
    duracao_minutos: input.duracao_minutos ?? facts.duracao_minutos,
    ano_lancamento: input.ano_lancamento ?? facts.ano_lancamento,
    classificacao: input.classificacao ?? facts.classificacao,
    avaliacao: input.avaliacao ?? facts.avaliacao
  }
}

export const completeContentOnly = (input: ContentOnlyData): ContentOnlyData => ({
  conteudo_id: input.conteudo_id
})
