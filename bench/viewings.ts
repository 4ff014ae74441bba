import { randomUUID } from 'node:crypto'

/**
 * The `n`-th of a run of viewing-history documents, shaped as the processor stores them, for the
 * scripts that fill the history: viewed by `userId`, one millisecond before the previous one.
 */
export const viewingDocument = (n: number, userId: number, newest: number) => ({
  _id: randomUUID(),
  user_id: userId,
  conteudo_id: `c-${n % 5_000}`,
  titulo: 'Cidade de Deus',
  tipo: 'filme',
  tempo_assistido: 90,
  posicao: 50,
  concluido: false,
  data: new Date(newest - n)
})
