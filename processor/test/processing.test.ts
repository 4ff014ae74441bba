// The message pipeline with its dependencies injected: what it does when the group takes the
// partition away while an operation waits between retries. No server is involved.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { requestEvent } from '../../test/helpers/events.ts'
import { storeUnavailable } from '../src/errors.ts'
import type { HandlerMap } from '../src/handlers/types.ts'
import { createProcessorMetrics } from '../src/metrics.ts'
import {
  createMessageProcessor,
  type DeadLetter,
  type MessageProcessorDeps
} from '../src/processing.ts'

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
  const deps: MessageProcessorDeps = {
    handlers,
    stores: {
      postgres: { userExists: async () => true }
    } as unknown as MessageProcessorDeps['stores'],
    replyLog: {
      get: async () => null,
      save: async () => {}
    } as unknown as MessageProcessorDeps['replyLog'],
    claims: { claim: async () => 'claimed' as const } as unknown as MessageProcessorDeps['claims'],
    publishReply: async (reply) => {
      replies.push(reply)
    },
    publishDeadLetter: async (letter) => {
      deadLetters.push(letter)
    },
    retryPolicy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    log: pino({ level: 'silent' }),
    metrics: createProcessorMetrics(),
    heartbeat
  }
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
