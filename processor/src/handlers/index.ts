import { EventType } from '@streaming/contracts'
import { atualizarAssinatura } from './atualizar-assinatura.ts'
import { atualizarAtividadeSessao } from './atualizar-atividade-sessao.ts'
import { atualizarConfig } from './atualizar-config.ts'
import { cacheConteudo } from './cache-conteudo.ts'
import { criarSessao } from './criar-sessao.ts'
import { criarUsuario } from './criar-usuario.ts'
import { encerrarSessao } from './encerrar-sessao.ts'
import { gerarRecomendacoes } from './gerar-recomendacoes.ts'
import { listarSessoesUsuario } from './listar-sessoes-usuario.ts'
import { obterCacheConteudo } from './obter-cache-conteudo.ts'
import { obterHistoricoVisualizacao } from './obter-historico-visualizacao.ts'
import { obterRecomendacoes } from './obter-recomendacoes.ts'
import { pagamentoRealizado } from './pagamento-realizado.ts'
import { registrarVisualizacao } from './registrar-visualizacao.ts'
import type { HandlerMap } from './types.ts'

/** Every operation's handler, keyed by its event type. */
export const handlers: HandlerMap = {
  [EventType.createUser]: criarUsuario,
  [EventType.updateSubscription]: atualizarAssinatura,
  [EventType.recordPayment]: pagamentoRealizado,
  [EventType.updatePreferences]: atualizarConfig,
  [EventType.recordViewing]: registrarVisualizacao,
  [EventType.getViewingHistory]: obterHistoricoVisualizacao,
  [EventType.generateRecommendations]: gerarRecomendacoes,
  [EventType.getRecommendations]: obterRecomendacoes,
  [EventType.createSession]: criarSessao,
  [EventType.touchSession]: atualizarAtividadeSessao,
  [EventType.endSession]: encerrarSessao,
  [EventType.listUserSessions]: listarSessoesUsuario,
  [EventType.cacheContent]: cacheConteudo,
  [EventType.getCachedContent]: obterCacheConteudo
}
