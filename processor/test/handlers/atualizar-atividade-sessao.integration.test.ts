import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { ErrorCode } from '@streaming/contracts'
import { OperationError } from '../../src/errors.ts'
import { atualizarAtividadeSessao } from '../../src/handlers/atualizar-atividade-sessao.ts'
import { redisContext, sessionRequest } from '../helpers/redis-context.ts'

const sessionNotFound = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof OperationError)
  assert.equal(err.code, ErrorCode.sessionNotFound)
  assert.equal(err.retryable, false)
  assert.match(err.message, pattern)
  return true
}

const newSession = () => sessionRequest('Android', 'Manaus')

test('atualizar_atividade_sessao refreshes the last activity and the expiry', async (t) => {
  const { redis, store, ctx, setClock } = await redisContext(t)
  const start = new Date('2026-11-24T10:00:00.000Z')
  const data = newSession()
  await store.sessions.create(data, start)
  const key = store.keys.session(data.session_id)
  await redis.expire(key, 20) // as if the session were about to expire
  const touchedAt = new Date('2026-11-24T10:25:00.000Z')
  setClock(touchedAt)

  const result = await atualizarAtividadeSessao({ session_id: data.session_id }, ctx)

  assert.match(result.message, new RegExp(`sessão ${data.session_id} atualizada`))
  assert.equal(result.data.ultima_atividade, touchedAt.toISOString())
  assert.equal(result.data.inicio, start.toISOString())
  assert.equal(result.data.user_id, 4242)
  assert.equal(await redis.hget(key, 'ultima_atividade'), touchedAt.toISOString())
  assert.ok((await redis.ttl(key)) > 1_790, 'expiry renewed')
  assert.equal(
    await redis.zscore(store.keys.userSessions(4242), data.session_id),
    String(touchedAt.getTime())
  )
})

test('atualizar_atividade_sessao of an unknown session is an error reply', async (t) => {
  const { ctx } = await redisContext(t)
  const sessionId = randomUUID()

  await assert.rejects(
    atualizarAtividadeSessao({ session_id: sessionId }, ctx),
    sessionNotFound(new RegExp(`Sessão ${sessionId} não encontrada`))
  )
})

test('atualizar_atividade_sessao of an expired session is an error reply', async (t) => {
  const { store, ctx } = await redisContext(t, { sessionTtlSeconds: 1 })
  const data = newSession()
  await store.sessions.create(data, new Date())
  await sleep(1_200)

  await assert.rejects(
    atualizarAtividadeSessao({ session_id: data.session_id }, ctx),
    sessionNotFound(/não encontrada ou expirada/)
  )
})

test('atualizar_atividade_sessao of an ended session is an error reply', async (t) => {
  const { store, ctx } = await redisContext(t)
  const data = newSession()
  await store.sessions.create(data, new Date())
  await store.sessions.end(data.session_id, new Date())

  await assert.rejects(
    atualizarAtividadeSessao({ session_id: data.session_id }, ctx),
    sessionNotFound(/encerrada/)
  )
})
