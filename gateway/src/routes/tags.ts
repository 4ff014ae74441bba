/**
 * Swagger tags: what a client sees, so Portuguese like the rest of the wire vocabulary; their
 * descriptions, like every summary and description of the document, speak to a developer.
 */
export const Tag = {
  usuarios: 'Usuários (PostgreSQL)',
  historico: 'Histórico de visualização (MongoDB)',
  recomendacoes: 'Recomendações (MongoDB)',
  sessoes: 'Sessões (Redis)',
  cache: 'Cache de conteúdo (Redis)',
  status: 'Status das operações',
  sistema: 'Sistema'
} as const

export const tagDescriptions: Record<(typeof Tag)[keyof typeof Tag], string> = {
  [Tag.usuarios]: 'Users, subscriptions, payments and preferences, kept in PostgreSQL.',
  [Tag.historico]: 'Viewing history, kept in MongoDB.',
  [Tag.recomendacoes]: 'Recommendations computed from the viewing history, kept in MongoDB.',
  [Tag.sessoes]: 'Sessions with an expiry, kept in Redis.',
  [Tag.cache]: 'The content cache (1 h expiry), kept in Redis.',
  [Tag.status]: 'Follow, wait for or cancel an accepted operation.',
  [Tag.sistema]: 'Identity, readiness and metrics of the gateway.'
}
