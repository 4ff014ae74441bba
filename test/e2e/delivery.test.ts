// Delivery guarantees: cancellation of a pending operation, redelivered request
// events answered once and applied once, and poison messages dead-lettered without stopping.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import {
  decodeReply,
  ENVELOPE_VERSION,
  EventType,
  Source,
  type ReplyEnvelope,
  type RequestEnvelope
} from '@streaming/contracts'
import { completeRequest } from '../../gateway/src/fake/index.ts'
import { createClaims } from '../../processor/src/claims.ts'
import type { OperationStatusRecord } from '../../gateway/src/plugins/status-store.ts'
import { accept, settle, succeed } from '../helpers/http.ts'
import { produceRaw, readTopic, requestEnvelopeJson, type TopicMessage } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'

const replyOf = (message: TopicMessage): ReplyEnvelope => {
  const decoded = decodeReply(message.value)
  assert.ok(decoded.ok, `a valid reply: ${decoded.ok ? '' : decoded.reason}`)
  return decoded.value
}

test(
  'a pending operation can be cancelled; a finished one cannot (409)',
  { timeout: 60_000 },
  async (t) => {
    const platform = await startPlatform(t, { processors: 0 })
    const { app, postgres } = platform

    const accepted = await accept(app, 'POST', '/usuarios', { nome: 'Rui Cancelado' })
    const userId = (accepted.usuario as { user_id: number }).user_id
    const pending = await app.inject({ method: 'GET', url: accepted.status_url })
    assert.equal(pending.statusCode, 200)
    assert.equal(pending.json<OperationStatusRecord>().status, 'pending')
    assert.ok(pending.headers['retry-after'], 'a pending status carries Retry-After')

    const cancel = await app.inject({ method: 'DELETE', url: accepted.status_url })
    assert.equal(cancel.statusCode, 200, cancel.body)
    assert.equal(cancel.json<OperationStatusRecord>().status, 'cancelled', 'definitive at once')
    const meanwhile = await app.inject({ method: 'GET', url: accepted.status_url })
    assert.equal(meanwhile.json<OperationStatusRecord>().status, 'cancelled')

    await platform.startProcessor()
    const result = await settle(app, accepted)
    assert.equal(result.status, 'cancelled', JSON.stringify(result))
    const { rows } = await postgres.query('SELECT 1 FROM usuarios WHERE user_id = $1', [userId])
    assert.equal(rows.length, 0, 'the processor skipped the cancelled operation')

    const again = await app.inject({ method: 'DELETE', url: accepted.status_url })
    assert.equal(again.statusCode, 409, 'a cancelled operation is finished')
    assert.equal(again.json<{ code: string }>().code, 'ALREADY_FINISHED')

    const done = await succeed(app, 'POST', '/usuarios', {})
    const late = await app.inject({ method: 'DELETE', url: done.accepted.status_url })
    assert.equal(late.statusCode, 409, late.body)
    assert.equal(late.json<{ code: string }>().code, 'ALREADY_FINISHED')
    assert.match(late.json<{ message: string }>().message, /success/)
    const after = await settle(app, done.accepted)
    assert.equal(after.status, 'success', 'a refused cancellation changes nothing')
  }
)

test(
  'an operation the processor has claimed cannot be cancelled (409 ALREADY_STARTED) and runs',
  { timeout: 60_000 },
  async (t) => {
    const platform = await startPlatform(t, { processors: 0 })
    const { app, postgres, redis } = platform
    const accepted = await accept(app, 'POST', '/usuarios', { nome: 'Rui Reivindicado' })
    const userId = (accepted.usuario as { user_id: number }).user_id

    // What the processor does first when it takes the operation up.
    const claims = createClaims(redis, 60)
    assert.equal(await claims.claim(accepted.correlation_id), 'claimed')

    const cancel = await app.inject({ method: 'DELETE', url: accepted.status_url })
    assert.equal(cancel.statusCode, 409, cancel.body)
    assert.equal(cancel.json<{ code: string }>().code, 'ALREADY_STARTED')
    const status = await app.inject({ method: 'GET', url: accepted.status_url })
    assert.equal(status.json<OperationStatusRecord>().status, 'pending', 'nothing changed')

    await platform.startProcessor()
    const result = await settle(app, accepted)
    assert.equal(result.status, 'success', 'its own earlier claim does not stop the processor')
    const { rows } = await postgres.query('SELECT 1 FROM usuarios WHERE user_id = $1', [userId])
    assert.equal(rows.length, 1)
  }
)

test(
  'a request event delivered twice is applied once and answered twice alike',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics, postgres } = await startPlatform(t)
    const data = completeRequest(EventType.createUser, { nome: 'Duda Repetida' })
    const envelope: RequestEnvelope<typeof EventType.createUser> = {
      event_id: randomUUID(),
      event_type: EventType.createUser,
      correlation_id: randomUUID(),
      timestamp: new Date().toISOString(),
      source: Source.gateway,
      target: Source.processor,
      version: ENVELOPE_VERSION,
      data
    }
    const bytes = Buffer.from(JSON.stringify(envelope))
    const message = { key: String(data.user_id), value: bytes }
    await produceRaw(t, kafka, topics.requests, [message, message])

    const replies = await readTopic(kafka, topics.responses, {
      count: 2,
      timeoutMs: 30_000,
      settleMs: 1_500
    })
    assert.equal(replies.length, 2, 'one reply per delivery')
    const [first, second] = replies.map(replyOf) as [ReplyEnvelope, ReplyEnvelope]
    for (const [index, reply] of [first, second].entries()) {
      assert.equal(
        replies[index]?.key,
        envelope.correlation_id,
        'replies are keyed by correlation_id'
      )
      assert.equal(reply.correlation_id, envelope.correlation_id)
      assert.equal(reply.request_event_id, envelope.event_id)
    }
    assert.equal(first.status, 'success', first.message)
    assert.equal(second.event_id, first.event_id, 'the very same reply, sent again')
    assert.equal(second.status, first.status)
    assert.deepEqual(second.data, first.data)

    const { rows } = await postgres.query('SELECT user_id::float AS user_id, nome FROM usuarios')
    assert.deepEqual(rows, [{ user_id: data.user_id, nome: 'Duda Repetida' }], 'one row')
    const status = await app.inject({ method: 'GET', url: `/status/${envelope.correlation_id}` })
    assert.equal(status.json<OperationStatusRecord>().status, 'success')
  }
)

test(
  'poison messages go to the dead-letter topic; processing goes on',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics } = await startPlatform(t)
    const envelope = requestEnvelopeJson
    const wrongData = randomUUID()
    const unknownType = randomUUID()
    const noEventId = randomUUID()
    const poison = [
      { name: 'not JSON', key: 'p1', value: 'isto não é JSON {', code: 'INVALID_REQUEST' },
      { name: 'empty', key: 'p2', value: null, code: 'INVALID_REQUEST' },
      {
        name: 'wrong data',
        key: 'p3',
        value: envelope({ correlation_id: wrongData, data: { user_id: 'abc' } }),
        code: 'INVALID_REQUEST',
        correlationId: wrongData,
        eventType: EventType.createUser,
        reason: /user_id/
      },
      {
        name: 'unknown event_type',
        key: 'p4',
        value: envelope({ correlation_id: unknownType, event_type: 'apagar_tudo' }),
        code: 'UNKNOWN_EVENT_TYPE',
        correlationId: unknownType,
        eventType: 'apagar_tudo',
        reason: /apagar_tudo/
      },
      {
        name: 'known event_type, envelope without event_id',
        key: 'p5',
        value: envelope({ correlation_id: noEventId, event_id: undefined }),
        code: 'INVALID_REQUEST',
        correlationId: noEventId,
        eventType: EventType.createUser,
        reason: /event_id/
      }
    ]
    await produceRaw(
      t,
      kafka,
      topics.requests,
      poison.map(({ key, value }) => ({ key, value }))
    )
    // A valid operation after them still succeeds.
    await succeed(app, 'POST', '/usuarios', {})

    const letters = await readTopic(kafka, topics.deadLetters, {
      count: poison.length,
      settleMs: 500
    })
    assert.equal(letters.length, poison.length, 'every poison message, and nothing else')
    for (const p of poison) {
      const letter = letters.find((l) => l.key === p.key)
      assert.ok(letter, `${p.name}: dead-lettered`)
      assert.equal(letter.headers['x-dead-letter-code'], p.code, p.name)
      assert.ok(letter.headers['x-dead-letter-reason'], `${p.name}: a reason`)
      if (p.reason) assert.match(letter.headers['x-dead-letter-reason'] ?? '', p.reason, p.name)
      assert.equal(letter.headers['x-original-topic'], topics.requests, p.name)
      assert.equal(letter.value?.toString() ?? null, p.value, `${p.name}: the original bytes`)
    }

    const readable = poison.filter((p) => p.correlationId)
    const replies = await readTopic(kafka, topics.responses, {
      count: readable.length + 1,
      settleMs: 500
    })
    assert.equal(
      replies.length,
      readable.length + 1,
      'one error reply per readable id, one success'
    )
    for (const p of readable) {
      const message = replies.find((r) => r.key === p.correlationId)
      assert.ok(message, `${p.name}: an error reply`)
      const reply = replyOf(message)
      assert.equal(reply.status, 'error', p.name)
      assert.equal(reply.error?.code, p.code, p.name)
      assert.equal(reply.original_event_type, p.eventType, p.name)
      assert.match(reply.message, /^Requisição não pôde ser processada: /, p.name)
    }
  }
)
