// The mixed operations the end-to-end benchmark sends: every store and most operation types,
// each aimed at a user that exists, as a client of the platform would send them.
import { randomInt } from 'node:crypto'

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  body?: string
}

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T
const json = (value: unknown) => JSON.stringify(value)

/** One request of each kind, in the order a connection sends them before starting over. */
export function mixedOperations(userIds: readonly number[]): Array<() => BenchRequest> {
  const contentId = () => `bench-${randomInt(500)}`
  return [
    () => ({ method: 'POST', path: '/usuarios', body: '{}' }),
    () => ({ method: 'POST', path: `/usuarios/${pick(userIds)}/assinatura`, body: '{}' }),
    () => ({ method: 'POST', path: `/usuarios/${pick(userIds)}/pagamento`, body: '{}' }),
    () => ({ method: 'POST', path: `/usuarios/${pick(userIds)}/config`, body: '{}' }),
    () => ({
      method: 'POST',
      path: '/historico-visualizacao',
      body: json({ user_id: pick(userIds) })
    }),
    () => ({ method: 'GET', path: `/historico-visualizacao/${pick(userIds)}?limit=5` }),
    () => ({ method: 'POST', path: '/sessoes', body: json({ user_id: pick(userIds) }) }),
    () => ({ method: 'POST', path: `/cache/conteudo/${contentId()}` }),
    () => ({ method: 'GET', path: `/cache/conteudo/${contentId()}` }),
    () => ({ method: 'POST', path: '/recomendacoes/gerar', body: json({ user_id: pick(userIds) }) })
  ]
}
