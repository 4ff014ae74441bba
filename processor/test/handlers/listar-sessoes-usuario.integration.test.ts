import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { listarSessoesUsuario } from '../../src/handlers/listar-sessoes-usuario.ts'
import { redisContext, sessionRequest } from '../helpers/redis-context.ts'

const newSession = (userId = 4242) => sessionRequest('Console', 'Salvador', { user_id: userId })

test('listar_sessoes_usuario lists the active sessions by default, as plain JSON', async (t) => {
  const { store, ctx, setClock } = await redisContext(t)
  const start = new Date('2026-11-24T10:00:00.000Z')
  const active = newSession()
  const ended = newSession()
  await store.sessions.create(active, start)
  await store.sessions.create(ended, start)
  await store.sessions.create(newSession(777), start)
  await store.sessions.end(ended.session_id, start)
  setClock(new Date('2026-11-24T10:01:00.000Z'))

  const result = await listarSessoesUsuario({ user_id: 4242, ativas_apenas: true }, ctx)

  assert.equal(result.message, 'Usuário 4242 tem 1 sessão ativa')
  const expected = {
    user_id: 4242,
    ativas_apenas: true,
    total: 1,
    sessoes: [
      {
        session_id: active.session_id,
        user_id: 4242,
        dispositivo: 'Console',
        localizacao: 'Salvador',
        inicio: start.toISOString(),
        ultima_atividade: start.toISOString(),
        status: 'ativa'
      }
    ]
  }
  assert.deepEqual(result.data, expected)
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), expected)
})

test('listar_sessoes_usuario with ativas_apenas=false includes ended sessions', async (t) => {
  const { store, ctx } = await redisContext(t)
  const active = newSession()
  const ended = newSession()
  await store.sessions.create(active, new Date())
  await store.sessions.create(ended, new Date())
  await store.sessions.end(ended.session_id, new Date())

  const result = await listarSessoesUsuario({ user_id: 4242, ativas_apenas: false }, ctx)

  assert.equal(result.data.total, 2)
  assert.equal(result.data.ativas_apenas, false)
  assert.equal(result.message, 'Usuário 4242 tem 2 sessões')
  const statuses = (result.data.sessoes as Array<{ session_id: string; status: string }>)
    .map((s) => [s.session_id, s.status])
    .sort()
  assert.deepEqual(
    statuses,
    [
      [active.session_id, 'ativa'],
      [ended.session_id, 'encerrada']
    ].sort()
  )
})

test('listar_sessoes_usuario without ativas_apenas keeps the default (active only)', async (t) => {
  const { store, ctx } = await redisContext(t)
  const ended = newSession()
  await store.sessions.create(ended, new Date())
  await store.sessions.end(ended.session_id, new Date())

  const data = { user_id: 4242 } as { user_id: number; ativas_apenas: boolean }
  const result = await listarSessoesUsuario(data, ctx)

  assert.equal(result.data.ativas_apenas, true)
  assert.deepEqual(result.data.sessoes, [])
})

test('listar_sessoes_usuario leaves out expired sessions', async (t) => {
  const { store, ctx, setClock } = await redisContext(t, { sessionTtlSeconds: 1 })
  await store.sessions.create(newSession(), new Date())
  await sleep(1_200)
  const fresh = newSession()
  await store.sessions.create(fresh, new Date())
  setClock(new Date())

  const result = await listarSessoesUsuario({ user_id: 4242, ativas_apenas: false }, ctx)

  assert.deepEqual(
    (result.data.sessoes as Array<{ session_id: string }>).map((s) => s.session_id),
    [fresh.session_id]
  )
  assert.equal(result.message, 'Usuário 4242 tem 1 sessão')
})
