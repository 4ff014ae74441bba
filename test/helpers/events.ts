// Kafka events as the services publish them, for tests: plain objects, no client or server.
import { EventType, ReplyStatus, requestEnvelope } from '@streaming/contracts'
import { buildReply } from '../../processor/src/replies.ts'

/** A valid request event, as the gateway publishes it (`registrar_visualizacao`). */
export function requestEvent(i: number) {
  return requestEnvelope(
    EventType.recordViewing,
    {
      user_id: 1_000 + i,
      conteudo_id: `c-${i}`,
      titulo: 'Central do Brasil',
      tipo: 'filme',
      tempo_assistido: 90,
      posicao: 50
    },
    { timestamp: new Date(Date.UTC(2026, 10, 24, 10) + i).toISOString() }
  )
}

/** The processor's reply to a request event, `latencyMs` after it, as the processor builds it. */
export function replyEvent(request: ReturnType<typeof requestEvent>, latencyMs = 25) {
  return buildReply(
    request,
    { status: ReplyStatus.success, message: 'Visualização registrada' },
    3,
    new Date(Date.parse(request.timestamp) + latencyMs)
  )
}
