// The one reply a request gets, built from what is known of the request and how it ended: its
// envelope, and what the client is told of a failure or of a message that could not be read.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { duplicate, storeUnavailable } from '../src/errors.ts'
import { buildReply, failureOutcome, unreadableMessage } from '../src/replies.ts'

const request = {
  event_id: 'e-1',
  correlation_id: 'c-1',
  event_type: 'criar_usuario',
  timestamp: '2026-11-24T10:00:00.000Z'
}
const now = new Date('2026-11-24T10:00:01.500Z')

test('a reply answers its request: correlation, original type and event, times', () => {
  const reply = buildReply(
    request,
    { status: 'success', message: 'Usuário criado', data: { user_id: 7 } },
    12.34567,
    now
  )
  assert.match(reply.event_id, /^[0-9a-f-]{36}$/)
  assert.notEqual(reply.event_id, request.event_id)
  assert.deepEqual(
    { ...reply, event_id: undefined },
    {
      event_id: undefined,
      event_type: 'response',
      correlation_id: 'c-1',
      timestamp: '2026-11-24T10:00:01.500Z',
      source: 'processor',
      target: 'gateway',
      version: 1,
      original_event_type: 'criar_usuario',
      request_event_id: 'e-1',
      request_timestamp: '2026-11-24T10:00:00.000Z',
      status: 'success',
      message: 'Usuário criado',
      duration_ms: 12.346,
      data: { user_id: 7 }
    }
  )
})

test('an unreadable request: no request timestamp, empty data, the error, no negative time', () => {
  const reply = buildReply(
    { event_id: '', correlation_id: 'c-2', event_type: 'desconhecido' },
    { status: 'error', message: 'ilegível', error: { code: 'INVALID_REQUEST', retryable: false } },
    -0.5,
    now
  )
  assert.equal('request_timestamp' in reply, false)
  assert.deepEqual(reply.data, {})
  assert.deepEqual(reply.error, { code: 'INVALID_REQUEST', retryable: false })
  assert.equal(reply.duration_ms, 0)
  const success = buildReply(request, { status: 'success', message: 'ok' }, 1, now)
  assert.equal('error' in success, false)
})

test('a refusal is answered with its own code and message', () => {
  assert.deepEqual(failureOutcome(duplicate('E-mail já cadastrado')), {
    status: 'error',
    message: 'E-mail já cadastrado',
    error: { code: 'DUPLICATE', retryable: false }
  })
})

test('a transient failure that reaches the reply has run out of retries', () => {
  assert.deepEqual(failureOutcome(storeUnavailable('MongoDB', new Error('refused'))), {
    status: 'error',
    message: 'MongoDB indisponível no momento; tente novamente (tentativas esgotadas)',
    error: { code: 'RETRIES_EXHAUSTED', retryable: true }
  })
})

test('any other error is internal, and its details stay out of the reply', () => {
  assert.deepEqual(failureOutcome(new Error('pg: password authentication failed')), {
    status: 'error',
    message: 'Erro interno ao processar a operação',
    error: { code: 'INTERNAL_ERROR', retryable: false }
  })
})

test('what the client is told of a message that could not be read, by failure', () => {
  assert.equal(
    unreadableMessage('unknown-event-type', 'apagar_tudo'),
    "Requisição não pôde ser processada: tipo de evento desconhecido 'apagar_tudo'"
  )
  assert.equal(
    unreadableMessage('invalid-data', 'criar_usuario'),
    'Requisição não pôde ser processada: os dados não seguem o contrato da operação'
  )
  assert.equal(
    unreadableMessage('invalid-envelope', undefined),
    'Requisição não pôde ser processada: a mensagem não segue o contrato de eventos'
  )
})
