import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { ErrorCode } from '@streaming/contracts'
import { OperationError } from '../../src/errors.ts'
import { encerrarSessao } from '../../src/handlers/encerrar-sessao.ts'
import { redisContext, sessionRequest } from '../helpers/redis-context.ts'

const newSession = () => sessionRequest('Web', 'Curitiba')

test('encerrar_sessao ends the session: no longer active, still listed among all', async (t) => {
  const { redis, store, ctx, setClock } = await redisContext(t)
  const start = new Date('2026-11-24T10:00:00.000Z')
  const data = newSession()
  await store.sessions.create(data, start)
  const endedAt = new Date('2026-11-24T10:10:00.000Z')
  setClock(endedAt)

  const result = await encerrarSessao({ session_id: data.session_id }, ctx)

  assert.equal(result.message, `Sessão ${data.session_id} encerrada`)
  assert.equal(result.data.status, 'encerrada')
  assert.equal(result.data.encerrada_em, endedAt.toISOString())
  assert.equal(result.data.user_id, 4242)
  assert.equal(await redis.hget(store.keys.session(data.session_id), 'status'), 'encerrada')
  const now = new Date('2026-11-24T10:11:00.000Z')
  assert.deepEqual(await store.sessions.listByUser(4242, true, now), [])
  const all = await store.sessions.listByUser(4242, false, now)
  assert.deepEqual(
    all.map((s) => [s.session_id, s.status]),
    [[data.session_id, 'encerrada']]
  )
})

test('encerrar_sessao of a session already ended answers the same', async (t) => {
  const { store, ctx, setClock } = await redisContext(t)
  const data = newSession()
  await store.sessions.create(data, new Date('2026-11-24T10:00:00.000Z'))
  setClock(new Date('2026-11-24T10:10:00.000Z'))
  const first = await encerrarSessao({ session_id: data.session_id }, ctx)

  setClock(new Date('2026-11-24T10:20:00.000Z'))
  const second = await encerrarSessao({ session_id: data.session_id }, ctx)

  assert.deepEqual(second, first)
})

test('encerrar_sessao of an unknown session is an error reply', async (t) => {
  const { ctx } = await redisContext(t)
  const sessionId = randomUUID()

  await assert.rejects(encerrarSessao({ session_id: sessionId }, ctx), (err) => {
    assert.ok(err instanceof OperationError)
    assert.equal(err.code, ErrorCode.sessionNotFound)
    assert.match(err.message, new RegExp(sessionId))
    return true
  })
})
