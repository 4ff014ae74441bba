// The message pipeline with its dependencies injected: what it does when the group takes the
// partition away while an operation waits between retries, which operations check the user
// first, and a request cancelled before the claim. No server is involved.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import {
  CANCELLED_MESSAGE,
  requestEnvelope,
  requestEventTypes,
  type ReplyEnvelope,
  type RequestEventType
} from '@streaming/contracts'
import { pino } from 'pino'
import { completeRequest, type CompleterInput } from '../../gateway/src/fake/index.ts'
import { requestEvent } from '../../test/helpers/events.ts'
import { storeUnavailable } from '../src/errors.ts'
import type { HandlerMap } from '../src/handlers/types.ts'
import { createProcessorMetrics } from '../src/metrics.ts'
import {
  createMessageProcessor,
  type DeadLetter,
  type MessageProcessorDeps
} from '../src/message-processor.ts'

/** The pipeline's dependencies: a user who exists, no earlier reply, a claim that succeeds. */
function pipelineDeps(overrides: Partial<MessageProcessorDeps>): MessageProcessorDeps {
  return {
    handlers: {} as HandlerMap,
    stores: {
      postgres: { userExists: async () => true }
    } as unknown as MessageProcessorDeps['stores'],
    replyLog: { get: async () => undefined, save: async () => {} },
    claims: { claim: async () => 'claimed' as const },
    publishReply: async () => {},
    publishDeadLetter: async () => assert.fail('nothing is dead-lettered'),
    retryPolicy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    log: pino({ level: 'silent' }),
    metrics: createProcessorMetrics(),
    ...overrides
  }
}

function pipeline(heartbeat: () => Promise<void>) {
  const replies: unknown[] = []
  const deadLetters: DeadLetter[] = []
  let attempts = 0
  const handlers = {
    registrar_visualizacao: async () => {
      attempts++
      throw storeUnavailable('MongoDB', new Error('connection refused'))
    }
  } as unknown as HandlerMap
  const deps = pipelineDeps({
    handlers,
    publishReply: async (reply) => {
      replies.push(reply)
    },
    publishDeadLetter: async (letter) => {
      deadLetters.push(letter)
    },
    retryPolicy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    heartbeat
  })
  const message = {
    topic: 'user_events',
    partition: 0,
    offset: '7',
    key: null,
    value: Buffer.from(JSON.stringify(requestEvent(0)))
  }
  return {
    process: createMessageProcessor(deps),
    message,
    replies,
    deadLetters,
    attempts: () => attempts
  }
}

test('a heartbeat that fails between retries leaves the message to the next owner', async () => {
  const rebalance = Object.assign(new Error('The coordinator is not aware of this member'), {
    name: 'KafkaJSProtocolError',
    type: 'UNKNOWN_MEMBER_ID'
  })
  const run = pipeline(async () => {
    throw rebalance
  })
  await assert.rejects(run.process(run.message), (err) => err === rebalance)
  assert.equal(run.attempts(), 1, 'no attempt after the membership was lost')
  assert.deepEqual(run.deadLetters, [], 'not dead-lettered')
  assert.deepEqual(run.replies, [], 'no reply: the next owner answers')
})

test('with the membership kept, retries run out into one reply and one dead letter', async () => {
  const run = pipeline(async () => {})
  await run.process(run.message)
  assert.equal(run.attempts(), 3)
  assert.equal(run.deadLetters.length, 1)
  assert.equal(run.deadLetters[0]?.code, 'RETRIES_EXHAUSTED')
  assert.equal(run.replies.length, 1)
})

test('the user is looked up in PostgreSQL exactly for the operations SPEC.md names', async () => {
  // Every operation that names a user_id but criar_usuario; the others cost no round trip.
  const userScoped = new Set([
    'atualizar_assinatura',
    'pagamento_realizado',
    'atualizar_config',
    'registrar_visualizacao',
    'obter_historico_visualizacao',
    'gerar_recomendacoes',
    'obter_recomendacoes',
    'criar_sessao',
    'listar_sessoes_usuario'
  ])
  const inputs: { [T in RequestEventType]: CompleterInput[T] } = {
    criar_usuario: { user_id: 42 },
    atualizar_assinatura: { user_id: 42 },
    pagamento_realizado: { user_id: 42 },
    atualizar_config: { user_id: 42 },
    registrar_visualizacao: { user_id: 42 },
    obter_historico_visualizacao: { user_id: 42 },
    gerar_recomendacoes: { user_id: 42 },
    obter_recomendacoes: { user_id: 42 },
    criar_sessao: { user_id: 42 },
    atualizar_atividade_sessao: { session_id: randomUUID() },
    encerrar_sessao: { session_id: randomUUID() },
    listar_sessoes_usuario: { user_id: 42 },
    cache_conteudo: { conteudo_id: 'c-1' },
    obter_cache_conteudo: { conteudo_id: 'c-1' }
  }
  const lookedUp: string[] = []
  const replies: ReplyEnvelope[] = []
  const handled = async () => ({ message: 'feito', data: {} })
  const process = createMessageProcessor(
    pipelineDeps({
      handlers: Object.fromEntries(
        requestEventTypes.map((type) => [type, handled])
      ) as unknown as HandlerMap,
      stores: {
        postgres: {
          userExists: async (userId: number) => {
            lookedUp.push(String(userId))
            return false
          }
        }
      } as unknown as MessageProcessorDeps['stores'],
      publishReply: async (reply) => {
        replies.push(reply)
      }
    })
  )
  for (const [offset, type] of requestEventTypes.entries()) {
    const data = completeRequest(type, inputs[type] as never)
    const before = lookedUp.length
    await process({
      topic: 'user_events',
      partition: 0,
      offset: String(offset),
      key: null,
      value: Buffer.from(JSON.stringify(requestEnvelope(type, data)))
    })
    const reply = replies.at(-1)
    assert.equal(lookedUp.length - before, userScoped.has(type) ? 1 : 0, `${type}: lookups`)
    assert.equal(
      reply?.error?.code,
      userScoped.has(type) ? 'USER_NOT_FOUND' : undefined,
      `${type}: ${reply?.message}`
    )
  }
})

test('a request whose cancellation came before the claim is answered cancelled, never applied', async () => {
  const replies: ReplyEnvelope[] = []
  const remembered: string[] = []
  const claimed: string[] = []
  const request = requestEvent(3)
  const process = createMessageProcessor(
    pipelineDeps({
      handlers: {
        registrar_visualizacao: async () => assert.fail('the handler does not run')
      } as unknown as HandlerMap,
      stores: {
        postgres: { userExists: async () => assert.fail('the user is not looked up') }
      } as unknown as MessageProcessorDeps['stores'],
      replyLog: {
        get: async () => undefined,
        save: async (eventId: string) => {
          remembered.push(eventId)
        }
      },
      claims: {
        claim: async (correlationId) => {
          claimed.push(correlationId)
          return 'cancelled'
        }
      },
      publishReply: async (reply) => {
        replies.push(reply)
      },
      retryPolicy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }
    })
  )
  await process({
    topic: 'user_events',
    partition: 0,
    offset: '3',
    key: null,
    value: Buffer.from(JSON.stringify(request))
  })
  assert.deepEqual(claimed, [request.correlation_id])
  assert.equal(replies.length, 1)
  assert.equal(replies[0]?.status, 'cancelled')
  assert.equal(replies[0]?.message, CANCELLED_MESSAGE)
  assert.deepEqual(remembered, [request.event_id], 'a redelivery is answered cancelled again')
})
