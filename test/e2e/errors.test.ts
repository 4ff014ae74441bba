// Errors a client can act on: error replies from the processor, 400s from the gateway that never
// reach Kafka, 404s for operations the platform never accepted.
import assert from 'node:assert/strict'
import { STATUS_CODES } from 'node:http'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { accept, settle, succeed } from '../helpers/http.ts'
import { topicSize } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'

test(
  'an unknown user gets an error reply naming it, whichever store owns the operation',
  { timeout: 60_000 },
  async (t) => {
    const { app, postgres, mongodb, redis, redisKeyPrefix } = await startPlatform(t)
    const userId = 424_242

    const operations = [
      {
        store: 'PostgreSQL',
        method: 'POST',
        url: `/usuarios/${userId}/pagamento`,
        body: undefined
      },
      {
        store: 'MongoDB',
        method: 'POST',
        url: '/historico-visualizacao',
        body: { user_id: userId }
      },
      { store: 'Redis', method: 'POST', url: '/sessoes', body: { user_id: userId } }
    ] as const
    const accepted = await Promise.all(
      operations.map((op) => accept(app, op.method, op.url, op.body ? { ...op.body } : undefined))
    )
    for (const [index, op] of operations.entries()) {
      const result = await settle(app, accepted[index]!)
      assert.equal(result.status, 'error', `${op.store}: ${JSON.stringify(result)}`)
      assert.match(result.message ?? '', new RegExp(`Usuário ${userId} não encontrado`), op.store)
      assert.deepEqual(result.error, { code: 'USER_NOT_FOUND', retryable: false }, op.store)
    }

    const { rows } = await postgres.query('SELECT count(*)::int AS n FROM pagamentos')
    assert.equal(rows[0].n, 0, 'no payment recorded')
    assert.equal(await mongodb.collection('historico_visualizacao').countDocuments(), 0)
    assert.deepEqual(await redis.keys(`${redisKeyPrefix}sessao:*`), [], 'no session opened')
  }
)

test(
  'a duplicate e-mail or CPF gets an error reply naming the clash; one row stays',
  { timeout: 60_000 },
  async (t) => {
    const { app, postgres } = await startPlatform(t)
    const first = await succeed(app, 'POST', '/usuarios', { nome: 'Joana Prado' })
    const usuario = first.accepted.usuario as { user_id: number; email: string; cpf: string }

    const sameEmail = await accept(app, 'POST', '/usuarios', { email: usuario.email })
    const sameCpf = await accept(app, 'POST', '/usuarios', { cpf: usuario.cpf })
    // E-mail addresses are unique whatever their case.
    const sameEmailUpper = await accept(app, 'POST', '/usuarios', {
      email: usuario.email.toUpperCase()
    })
    const cases = [
      { accepted: sameEmail, names: usuario.email },
      { accepted: sameCpf, names: usuario.cpf },
      { accepted: sameEmailUpper, names: usuario.email.toUpperCase() }
    ]
    for (const { accepted, names } of cases) {
      const result = await settle(app, accepted)
      assert.equal(result.status, 'error', JSON.stringify(result))
      assert.equal(result.error?.code, 'DUPLICATE')
      assert.ok(result.message?.includes(names), `"${result.message}" names ${names}`)
      assert.match(result.message ?? '', /^Já existe um usuário com /)
    }

    const { rows } = await postgres.query('SELECT user_id::float AS user_id FROM usuarios')
    assert.deepEqual(rows, [{ user_id: usuario.user_id }], 'only the first user exists')
  }
)

test(
  'bad input: 400 (413 when oversize) naming the field, and nothing published',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics } = await startPlatform(t, { processors: 0 })
    const oversize = JSON.stringify({ nome: 'x'.repeat(70_000) })

    const cases: Array<{
      name: string
      method: 'GET' | 'POST' | 'PUT' | 'DELETE'
      url: string
      payload?: string | Record<string, unknown>
      headers?: Record<string, string>
      status?: number
      names: RegExp
    }> = [
      {
        name: 'wrong type in the body',
        method: 'POST',
        url: '/usuarios',
        payload: { user_id: 'abc' },
        names: /user_id/
      },
      {
        name: 'wrong type in the query string',
        method: 'POST',
        url: '/usuarios?user_id=abc',
        names: /user_id/
      },
      {
        name: 'wrong type in the path',
        method: 'POST',
        url: '/usuarios/abc/pagamento',
        names: /user_id/
      },
      {
        name: 'out of range: valor -1',
        method: 'POST',
        url: '/usuarios/1/pagamento',
        payload: { valor: -1 },
        names: /valor/
      },
      {
        name: 'out of range: posicao 101',
        method: 'POST',
        url: '/historico-visualizacao',
        payload: { user_id: 1, posicao: 101 },
        names: /posicao/
      },
      {
        name: 'out of range: limit 500',
        method: 'GET',
        url: '/historico-visualizacao/1?limit=500',
        names: /limit/
      },
      {
        name: 'unknown enum value: plano Ouro',
        method: 'POST',
        url: '/usuarios/1/assinatura',
        payload: { plano: 'Ouro' },
        names: /plano/
      },
      {
        name: 'CPF with wrong check digits',
        method: 'POST',
        url: '/usuarios',
        payload: { cpf: '52998224724' },
        names: /cpf/
      },
      {
        name: 'invalid e-mail',
        method: 'POST',
        url: '/usuarios',
        payload: { email: 'maria.silva(at)example' },
        names: /email/
      },
      {
        name: 'unknown field',
        method: 'POST',
        url: '/usuarios',
        payload: { nome: 'Ana', apelido: 'Aninha' },
        names: /apelido/
      },
      {
        name: 'malformed JSON',
        method: 'POST',
        url: '/usuarios',
        payload: '{"nome": "Ana", ',
        headers: { 'content-type': 'application/json' },
        names: /JSON/
      },
      {
        name: 'oversize body',
        method: 'POST',
        url: '/usuarios',
        payload: oversize,
        headers: { 'content-type': 'application/json' },
        status: 413,
        names: /passa do máximo aceito/
      },
      {
        name: 'a body that is not JSON',
        method: 'POST',
        url: '/usuarios',
        payload: 'nome=Ana',
        headers: { 'content-type': 'text/plain' },
        status: 415,
        names: /application\/json/
      },
      {
        name: 'missing user_id on POST /sessoes',
        method: 'POST',
        url: '/sessoes',
        payload: { dispositivo: 'Web' },
        names: /user_id é obrigatório/
      },
      {
        name: 'fim before inicio',
        method: 'POST',
        url: '/usuarios/1/assinatura',
        payload: { inicio: '2026-11-10', fim: '2026-11-01' },
        names: /fim.*inicio/
      },
      {
        name: 'invalid uuid in /sessoes/{session_id}/atividade',
        method: 'PUT',
        url: '/sessoes/not-a-uuid/atividade',
        names: /session_id/
      },
      {
        name: 'invalid uuid in GET /status/{id}',
        method: 'GET',
        url: '/status/not-a-uuid',
        names: /correlation_id/
      },
      {
        name: 'invalid uuid in DELETE /status/{id}',
        method: 'DELETE',
        url: '/status/12345',
        names: /correlation_id/
      }
    ]
    assert.ok(Buffer.byteLength(oversize) > app.initialConfig.bodyLimit!, 'the body is oversize')

    const before = await topicSize(kafka, topics.requests)
    for (const c of cases) {
      const response = await app.inject({
        method: c.method,
        url: c.url,
        ...(c.headers ? { headers: c.headers } : {}),
        ...(c.payload !== undefined ? { payload: c.payload } : {})
      })
      const expected = c.status ?? 400
      assert.equal(
        response.statusCode,
        expected,
        `${c.name}: ${response.statusCode} ${response.body}`
      )
      const body = response.json<{
        statusCode: number
        code: string
        error: string
        message: string
      }>()
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], c.name)
      assert.equal(body.statusCode, expected, c.name)
      assert.equal(body.error, STATUS_CODES[expected], c.name)
      assert.match(body.code, /^[A-Z][A-Z0-9_]+$/, `${c.name}: a stable code`)
      assert.match(body.message, c.names, `${c.name}: "${body.message}" names the field`)
      assert.equal(await topicSize(kafka, topics.requests), before, `${c.name}: nothing published`)
    }

    // The control: a valid request is published, so the offsets above would have moved.
    await accept(app, 'POST', '/usuarios', {})
    assert.equal(
      await topicSize(kafka, topics.requests),
      before + 1,
      'a valid request publishes one'
    )
  }
)

test(
  'an id the platform never accepted: 404 on GET and DELETE /status',
  { timeout: 60_000 },
  async (t) => {
    const { app } = await startPlatform(t, { processors: 0 })
    const id = randomUUID()
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await app.inject({ method, url: `/status/${id}` })
      assert.equal(response.statusCode, 404, `${method}: ${response.body}`)
      const body = response.json<{ code: string; message: string }>()
      assert.equal(body.code, 'STATUS_NOT_FOUND')
      assert.ok(body.message.includes(id), 'the message names the id')
    }
    const waited = await app.inject({ method: 'GET', url: `/status/${id}?wait=2` })
    assert.equal(waited.statusCode, 404, '?wait does not wait for an id nobody accepted')
  }
)
