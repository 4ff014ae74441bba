// Kafka events as the services publish them, for tests: plain objects, no client or server.
import { randomUUID } from 'node:crypto'
import { EventType, requestEnvelope } from '@streaming/contracts'

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

/** The processor's reply to a request event, `latencyMs` after it. */
export function replyEvent(request: ReturnType<typeof requestEvent>, latencyMs = 25) {
  return {
    event_id: randomUUID(),
    event_type: 'response',
    correlation_id: request.correlation_id,
    timestamp: new Date(Date.parse(request.timestamp) + latencyMs).toISOString(),
    source: 'processor',
    target: 'gateway',
    version: 1,
    original_event_type: request.event_type,
    request_event_id: request.event_id,
    request_timestamp: request.timestamp,
    status: 'success',
    message: 'Visualização registrada',
    duration_ms: 3,
    data: {}
  }
}
