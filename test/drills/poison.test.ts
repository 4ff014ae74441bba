// Drill: 2,000 valid operations through the gateway with 240 poison messages written straight to
// the requests topic in between. Counted at the end: one dead letter per poison message (and no
// other), one error reply per poison message whose correlation id is readable, every valid
// operation a success, the stores holding exactly what the valid operations wrote, no lag left.
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { decodeReply, type ReplyEnvelope } from '@streaming/contracts'
import type { Kafka } from 'kafkajs'
import type { GatewayApp } from '../../gateway/src/app.ts'
import type { OperationStatusRecord } from '../../gateway/src/plugins/status-store.ts'
import { defer } from '../helpers/cleanup.ts'
import { readTopic, readWholeTopic, requestEnvelopeJson } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'

const USERS = 200
const PER_KIND = 450 // payments, viewings, sessions, cached contents
const VALID = USERS + 4 * PER_KIND
const BATCH = 50
const POISON_PER_BATCH = 6
const DEADLINE_MS = 100_000
const HUGE_BYTES = 900 * 1024

interface Poison {
  kind: string
  key: string | null
  value: Buffer | null
  code: 'INVALID_REQUEST' | 'UNKNOWN_EVENT_TYPE'
  /** Set when the processor can read the correlation id, so an error reply is due. */
  correlationId?: string
}

const envelope = requestEnvelopeJson

/** The n-th poison message: every kind in turn, the huge ones only a few times. */
function poison(n: number): Poison {
  const key = `poison-${n}`
  const cid = randomUUID()
  const readable = (kind: string, code: Poison['code'], fields: Record<string, unknown>) => ({
    kind,
    key,
    value: Buffer.from(envelope({ correlation_id: cid, ...fields })),
    code,
    correlationId: cid
  })
  const unreadable = (kind: string, value: Buffer | null, nullKey = false): Poison => ({
    kind,
    key: nullKey ? null : key,
    value,
    code: 'INVALID_REQUEST'
  })
  if (n % 60 === 7) {
    return readable('huge JSON (900 KB)', 'INVALID_REQUEST', {
      data: { nome: 'x'.repeat(HUGE_BYTES) }
    })
  }
  if (n % 60 === 37) return unreadable('huge not JSON (900 KB)', Buffer.alloc(HUGE_BYTES, 'y'))
  const kinds: Array<() => Poison> = [
    () => unreadable('not JSON', Buffer.from('isto não é JSON {')),
    // Starts with bytes that are not UTF-8, so it cannot happen to parse as JSON.
    () => unreadable('binary garbage', Buffer.concat([Buffer.from([0xfe, 0xff]), randomBytes(64)])),
    () => unreadable('empty value', Buffer.alloc(0)),
    () => unreadable('null value', null),
    () => unreadable('null key, not JSON', Buffer.from('<xml/>'), true),
    () => unreadable('JSON, not an envelope', Buffer.from('{"foo": 1}')),
    () => unreadable('JSON array', Buffer.from('[1, 2, 3]')),
    () => unreadable('JSON literal', Buffer.from('null')),
    () => readable('wrong data', 'INVALID_REQUEST', { data: { user_id: 'abc' } }),
    () => readable('envelope without event_id', 'INVALID_REQUEST', { event_id: undefined }),
    () => readable('wrong version', 'INVALID_REQUEST', { version: 2 }),
    () => readable('event_type not a string', 'INVALID_REQUEST', { event_type: 42 }),
    () => readable('unknown event_type', 'UNKNOWN_EVENT_TYPE', { event_type: 'apagar_tudo' }),
    () =>
      readable('injection as event_type', 'UNKNOWN_EVENT_TYPE', {
        event_type: "'; DROP TABLE usuarios; --"
      }),
    () => ({
      ...unreadable('unknown event_type, unreadable id', null),
      value: Buffer.from(envelope({ event_type: 'apagar_tudo', correlation_id: 'not-a-uuid' })),
      code: 'UNKNOWN_EVENT_TYPE'
    })
  ]
  return kinds[n % kinds.length]!()
}

/** Where each poison message landed, so its dead letter can be matched by original offset. */
async function producePoison(kafka: Kafka, topic: string) {
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  const written: Array<Poison & { at: string }> = []
  return {
    written,
    close: () => producer.disconnect(),
    async write(messages: Poison[]) {
      for (const message of messages) {
        const [metadata] = await producer.send({
          topic,
          acks: -1,
          messages: [{ key: message.key, value: message.value }]
        })
        written.push({ ...message, at: `${metadata?.partition}:${metadata?.baseOffset}` })
      }
    }
  }
}

type Operation = { method: 'POST'; url: string; body: Record<string, unknown> }

async function sendAll(app: GatewayApp, operations: Operation[]): Promise<string[]> {
  return Promise.all(
    operations.map(async (op) => {
      const response = await app.inject({ method: op.method, url: op.url, payload: op.body })
      assert.equal(response.statusCode, 202, `${op.url}: ${response.statusCode} ${response.body}`)
      return response.json<{ correlation_id: string }>().correlation_id
    })
  )
}

test(
  'poison drill: under load, every poison message is dead-lettered once and consumption goes on',
  { timeout: 170_000 },
  async (t) => {
    const started = performance.now()
    const deadline = started + DEADLINE_MS
    const { app, kafka, topics, postgres, mongodb, redis, redisKeyPrefix, processorGroup } =
      await startPlatform(t, { gatewayEnv: { RATE_LIMIT_MAX: '0' } })
    const poisonWriter = await producePoison(kafka, topics.requests)
    defer(t, () => poisonWriter.close())
    let poisonIndex = 0
    const nextPoison = () => Array.from({ length: POISON_PER_BATCH }, () => poison(poisonIndex++))

    // Users first (their requests are keyed by user_id, so what follows for a user is
    // processed after it), then payments, viewings, sessions and cached contents.
    const accepted: string[] = []
    const userIds: number[] = []
    for (let i = 0; i < USERS; i += BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, USERS - i) }, async () => {
          const response = await app.inject({ method: 'POST', url: '/usuarios', payload: {} })
          assert.equal(response.statusCode, 202, response.body)
          return response.json<{ correlation_id: string; usuario: { user_id: number } }>()
        })
      )
      accepted.push(...batch.map((a) => a.correlation_id))
      userIds.push(...batch.map((a) => a.usuario.user_id))
      await poisonWriter.write(nextPoison())
    }
    const rest: Operation[] = Array.from({ length: 4 * PER_KIND }, (_, i) => {
      const userId = userIds[i % USERS]!
      switch (i % 4) {
        case 0:
          return { method: 'POST', url: `/usuarios/${userId}/pagamento`, body: {} }
        case 1:
          return { method: 'POST', url: '/historico-visualizacao', body: { user_id: userId } }
        case 2:
          return { method: 'POST', url: '/sessoes', body: { user_id: userId } }
        default:
          return { method: 'POST', url: `/cache/conteudo/drill-${i}`, body: {} }
      }
    })
    for (let i = 0; i < rest.length; i += BATCH) {
      accepted.push(...(await sendAll(app, rest.slice(i, i + BATCH))))
      await poisonWriter.write(nextPoison())
    }
    const written = poisonWriter.written
    const sentIn = Math.round(performance.now() - started)
    t.diagnostic(
      `sent: ${accepted.length} valid operations accepted (202), ${written.length} poison messages written, in ${sentIn} ms`
    )
    assert.equal(accepted.length, VALID)
    assert.ok(written.length >= 200, `${written.length} poison messages`)

    // Every valid operation reaches a terminal status, within the deadline.
    const statuses = new Map<string, OperationStatusRecord>()
    let pending = [...accepted]
    while (pending.length > 0 && performance.now() < deadline) {
      const slice = pending.slice(0, 200)
      const records = await Promise.all(
        slice.map(async (id) => {
          const response = await app.inject({ method: 'GET', url: `/status/${id}?wait=2` })
          return response.statusCode === 200 ? response.json<OperationStatusRecord>() : undefined
        })
      )
      for (const record of records) {
        if (record && record.status !== 'pending') statuses.set(record.correlation_id, record)
      }
      pending = pending.filter((id) => !statuses.has(id))
    }
    const byStatus = new Map<string, number>()
    for (const record of statuses.values()) {
      byStatus.set(record.status, (byStatus.get(record.status) ?? 0) + 1)
    }
    const tally = [...byStatus].map(([status, n]) => `${status} ${n}`).join(', ')
    t.diagnostic(
      `terminal statuses: ${statuses.size} of ${VALID} (${tally}), ${pending.length} still pending after ${Math.round(performance.now() - started)} ms`
    )
    assert.equal(
      pending.length,
      0,
      `within ${DEADLINE_MS} ms: ${statuses.size} terminal (${tally})`
    )
    const failures = [...statuses.values()].filter((record) => record.status !== 'success')
    assert.deepEqual(
      failures.slice(0, 5).map((f) => `${f.original_event_type}: ${f.message}`),
      [],
      `every valid operation succeeds (${tally})`
    )

    // Exactly one dead letter per poison message, matched by original partition and offset.
    const letters = await readTopic(kafka, topics.deadLetters, {
      count: written.length,
      timeoutMs: Math.max(5_000, deadline - performance.now()),
      settleMs: 1_500
    })
    const letterAt = new Map(
      letters.map((l) => [
        `${l.headers['x-original-partition']}:${l.headers['x-original-offset']}`,
        l
      ])
    )
    assert.equal(
      letters.length,
      written.length,
      `dead letters: ${letters.length} for ${written.length} poison messages`
    )
    assert.equal(letterAt.size, letters.length, 'no message dead-lettered twice')
    const wrongLetters: string[] = []
    for (const p of written) {
      const letter = letterAt.get(p.at)
      if (!letter) wrongLetters.push(`${p.kind} at ${p.at}: no dead letter`)
      else if (letter.headers['x-dead-letter-code'] !== p.code) {
        wrongLetters.push(`${p.kind}: code ${letter.headers['x-dead-letter-code']}, not ${p.code}`)
      } else if (letter.headers['x-original-topic'] !== topics.requests) {
        wrongLetters.push(`${p.kind}: x-original-topic ${letter.headers['x-original-topic']}`)
      } else if (letter.key !== p.key) {
        wrongLetters.push(`${p.kind}: key ${letter.key}, not ${p.key}`)
      } else if (!(letter.value ?? Buffer.alloc(0)).equals(p.value ?? Buffer.alloc(0))) {
        wrongLetters.push(`${p.kind}: the dead letter does not hold the original bytes`)
      }
    }
    assert.deepEqual(wrongLetters, [], 'every poison message has its own dead letter, as written')

    // One error reply per readable correlation id; one reply per valid operation.
    const replies = (await readWholeTopic(kafka, topics.responses, 30_000)).map((message) => {
      const decoded = decodeReply(message.value)
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason)
      return decoded.value
    })
    const repliesById = new Map<string, ReplyEnvelope[]>()
    for (const reply of replies) {
      repliesById.set(reply.correlation_id, [
        ...(repliesById.get(reply.correlation_id) ?? []),
        reply
      ])
    }
    const readable = written.filter((p) => p.correlationId)
    const wrongReplies: string[] = []
    for (const p of readable) {
      const found = repliesById.get(p.correlationId!) ?? []
      if (found.length !== 1) wrongReplies.push(`${p.kind}: ${found.length} replies`)
      else if (found[0]!.status !== 'error' || found[0]!.error?.code !== p.code) {
        wrongReplies.push(`${p.kind}: ${found[0]!.status} ${found[0]!.error?.code}`)
      }
    }
    assert.deepEqual(wrongReplies, [], 'an error reply for every readable poison message')
    const validReplies = accepted.filter((id) => (repliesById.get(id)?.length ?? 0) === 1).length
    assert.equal(validReplies, VALID, 'exactly one reply per valid operation')
    assert.equal(replies.length, VALID + readable.length, 'no other reply')

    // The stores hold exactly what the valid operations wrote.
    const count = async (table: string) =>
      (await postgres.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number
    const keys = async (pattern: string) => (await redis.keys(`${redisKeyPrefix}${pattern}`)).length
    const stores = {
      usuarios: await count('usuarios'),
      pagamentos: await count('pagamentos'),
      historico_visualizacao: await mongodb.collection('historico_visualizacao').countDocuments(),
      sessoes: await keys('sessao:*'),
      conteudos: await keys('conteudo:*')
    }
    assert.deepEqual(stores, {
      usuarios: USERS,
      pagamentos: PER_KIND,
      historico_visualizacao: PER_KIND,
      sessoes: PER_KIND,
      conteudos: PER_KIND
    })

    // The consumer went on to the end: its committed offsets reach the topic's end.
    const admin = kafka.admin()
    await admin.connect()
    defer(t, () => admin.disconnect())
    const ends = await admin.fetchTopicOffsets(topics.requests)
    let lag = Number.POSITIVE_INFINITY
    while (performance.now() < deadline + 15_000) {
      const [committed] = await admin.fetchOffsets({
        groupId: processorGroup,
        topics: [topics.requests]
      })
      lag = ends.reduce((sum, end) => {
        const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '0'
        return sum + Number(end.high) - Math.max(0, Number(at))
      }, 0)
      if (lag === 0) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    assert.equal(lag, 0, 'the processor committed every message, poison included')

    const kinds = new Map<string, number>()
    for (const p of written) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1)
    t.diagnostic(`poison by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`)
    t.diagnostic(
      `dead letters ${letters.length} = poison ${written.length} (matched by original offset, code, key, bytes); error replies ${readable.length} = readable correlation ids ${readable.length}; replies on the responses topic ${replies.length} = ${VALID} + ${readable.length}`
    )
    t.diagnostic(
      `stores: ${JSON.stringify(stores)}; processor lag 0; total ${Math.round(performance.now() - started)} ms`
    )
  }
)
