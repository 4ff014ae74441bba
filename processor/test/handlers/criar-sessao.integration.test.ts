import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ErrorCode } from '@streaming/contracts'
import { OperationError } from '../../src/errors.ts'
import { criarSessao } from '../../src/handlers/criar-sessao.ts'
import { redisContext, sessionRequest } from '../helpers/redis-context.ts'

const request = () => sessionRequest('iOS', 'Porto Alegre')

test('criar_sessao stores an active session with its expiry, indexed under the user', async (t) => {
  const { redis, store, ctx, setClock } = await redisContext(t)
  const at = new Date('2026-11-24T10:00:00.000Z')
  setClock(at)
  const data = request()

  const result = await criarSessao(data, ctx)

  assert.match(result.message, new RegExp(`Sessão ${data.session_id} criada`))
  const expected = {
    session_id: data.session_id,
    user_id: 4242,
    dispositivo: 'iOS',
    localizacao: 'Porto Alegre',
    inicio: at.toISOString(),
    ultima_atividade: at.toISOString(),
    status: 'ativa'
  }
  assert.deepEqual(result.data, expected)
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), expected, 'plain JSON')
  const key = store.keys.session(data.session_id)
  assert.equal(await redis.hget(key, 'user_id'), '4242')
  assert.equal(await redis.hget(key, 'status'), 'ativa')
  const ttl = await redis.ttl(key)
  assert.ok(ttl > 1_790 && ttl <= 1_800, `session TTL ${ttl}`)
  assert.deepEqual(await redis.zrange(store.keys.userSessions(4242), 0, '-1'), [data.session_id])
})

test('criar_sessao delivered again answers the same and creates no second session', async (t) => {
  const { redis, store, ctx, setClock } = await redisContext(t)
  const data = request()
  setClock(new Date('2026-11-24T10:00:00.000Z'))
  const first = await criarSessao(data, ctx)

  setClock(new Date('2026-11-24T10:05:00.000Z'))
  const second = await criarSessao(data, ctx)

  assert.deepEqual(second, first)
  assert.equal(await redis.zcard(store.keys.userSessions(4242)), 1)
})

test('criar_sessao with an id another user holds is a duplicate', async (t) => {
  const { redis, store, ctx } = await redisContext(t)
  const data = request()
  await criarSessao(data, ctx)

  await assert.rejects(criarSessao({ ...data, user_id: 9999 }, ctx), (err) => {
    assert.ok(err instanceof OperationError)
    assert.equal(err.code, ErrorCode.duplicate)
    assert.equal(err.retryable, false)
    return true
  })
  assert.equal(await redis.hget(store.keys.session(data.session_id), 'user_id'), '4242')
  assert.equal(await redis.exists(store.keys.userSessions(9999)), 0)
})
