/** The operations of the platform: one request event type per operation. */
export const EventType = {
  createUser: 'criar_usuario',
  updateSubscription: 'atualizar_assinatura',
  recordPayment: 'pagamento_realizado',
  updatePreferences: 'atualizar_config',
  recordViewing: 'registrar_visualizacao',
  getViewingHistory: 'obter_historico_visualizacao',
  generateRecommendations: 'gerar_recomendacoes',
  getRecommendations: 'obter_recomendacoes',
  createSession: 'criar_sessao',
  touchSession: 'atualizar_atividade_sessao',
  endSession: 'encerrar_sessao',
  listUserSessions: 'listar_sessoes_usuario',
  cacheContent: 'cache_conteudo',
  getCachedContent: 'obter_cache_conteudo'
} as const

export type RequestEventType = (typeof EventType)[keyof typeof EventType]

export const requestEventTypes = Object.values(EventType) as RequestEventType[]

/** The event type of every reply. */
export const RESPONSE_EVENT_TYPE = 'response'

export const ReplyStatus = {
  success: 'success',
  error: 'error',
  cancelled: 'cancelled'
} as const

export type ReplyStatusValue = (typeof ReplyStatus)[keyof typeof ReplyStatus]

/** What GET /status answers before a reply exists, then the reply's status. */
export const OperationStatus = { pending: 'pending', ...ReplyStatus } as const

export type OperationStatusValue = (typeof OperationStatus)[keyof typeof OperationStatus]

export const Source = { gateway: 'gateway', processor: 'processor' } as const
