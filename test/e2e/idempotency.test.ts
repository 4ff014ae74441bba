// Idempotency-Key as SPEC says (the IETF draft's semantics): a key belongs to one client and one
// request — method, route and what the client sent. The same request again is answered with the
// first 202 and publishes nothing; a different request under the key is a 422 and publishes
// nothing; a key whose first request is still being accepted is a 409.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import type { GatewayApp } from '../../gateway/src/app.ts'
import { topicSize } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'

interface Sent {
  method: 'POST'
  url: string
  query?: Record<string, string>
  payload?: Record<string, unknown>
  headers?: Record<string, string>
}

const send = (app: GatewayApp, key: string, request: Sent) =>
  app.inject({
    method: request.method,
    url: request.url,
    ...(request.query ? { query: request.query } : {}),
    ...(request.payload ? { payload: request.payload } : {}),
    headers: { 'idempotency-key': key, ...request.headers }
  })

const errorCode = (response: { json: <T>() => T }) => response.json<{ code: string }>().code

test(
  'a key never crosses routes, nor bodies: 422 IDEMPOTENCY_KEY_MISMATCH, nothing published',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics, postgres } = await startPlatform(t)
    const key = randomUUID()
    const before = await topicSize(kafka, topics.requests)

    const first = await send(app, key, {
      method: 'POST',
      url: '/recomendacoes/gerar',
      query: { user_id: '1' }
    })
    assert.equal(first.statusCode, 202, first.body)

    // The report this guards against: the second call was answered with the first's 202, and
    // no user was ever created.
    const otherRoute = await send(app, key, {
      method: 'POST',
      url: '/usuarios',
      query: { nome: 'Ana' }
    })
    assert.equal(otherRoute.statusCode, 422, otherRoute.body)
    assert.equal(errorCode(otherRoute), 'IDEMPOTENCY_KEY_MISMATCH')
    assert.equal(otherRoute.headers['idempotent-replayed'], undefined)
    assert.match(otherRoute.json<{ message: string }>().message, /Idempotency-Key/)

    const otherUser = await send(app, key, {
      method: 'POST',
      url: '/recomendacoes/gerar',
      payload: { user_id: 2 }
    })
    assert.equal(otherUser.statusCode, 422, 'same route, different data')

    const sameAgain = await send(app, key, {
      method: 'POST',
      url: '/recomendacoes/gerar',
      payload: { user_id: 1 }
    })
    assert.equal(sameAgain.statusCode, 202, 'the same field in the body is the same request')
    assert.equal(sameAgain.headers['idempotent-replayed'], 'true')
    assert.deepEqual(sameAgain.json(), first.json())

    const userKey = randomUUID()
    const created = await send(app, userKey, {
      method: 'POST',
      url: '/usuarios',
      payload: { nome: 'Ana Única' }
    })
    assert.equal(created.statusCode, 202, created.body)
    const renamed = await send(app, userKey, {
      method: 'POST',
      url: '/usuarios',
      payload: { nome: 'Outra Pessoa' }
    })
    assert.equal(renamed.statusCode, 422, 'same route, different body')
    assert.equal(errorCode(renamed), 'IDEMPOTENCY_KEY_MISMATCH')

    assert.equal(await topicSize(kafka, topics.requests), before + 2, 'two request events')
    const settled = await app.inject({ url: `${created.json().status_url}?wait=20` })
    assert.equal(settled.json<{ status: string }>().status, 'success', settled.body)
    const { rows } = await postgres.query('SELECT nome FROM usuarios')
    assert.deepEqual(rows, [{ nome: 'Ana Única' }], 'the first request applied, once')
  }
)

test(
  'a key belongs to one API key: another client with the same key is another request',
  { timeout: 60_000 },
  async (t) => {
    const keys = ['first-client-key-0123456789', 'second-client-key-0123456789']
    const { app, kafka, topics } = await startPlatform(t, {
      processors: 0,
      gatewayEnv: { API_KEYS: keys.join(',') }
    })
    const before = await topicSize(kafka, topics.requests)
    const key = randomUUID()
    const request = (apiKey: string): Sent => ({
      method: 'POST',
      url: '/usuarios',
      payload: { nome: 'Clara Chave' },
      headers: { 'x-api-key': apiKey }
    })

    const first = await send(app, key, request(keys[0] as string))
    const second = await send(app, key, request(keys[1] as string))
    assert.equal(first.statusCode, 202, first.body)
    assert.equal(second.statusCode, 202, second.body)
    assert.equal(second.headers['idempotent-replayed'], undefined, 'not replayed across clients')
    assert.notEqual(second.json().correlation_id, first.json().correlation_id)

    const again = await send(app, key, request(keys[0] as string))
    assert.equal(again.headers['idempotent-replayed'], 'true')
    assert.equal(again.json().correlation_id, first.json().correlation_id)
    assert.equal(await topicSize(kafka, topics.requests), before + 2)
  }
)

test(
  'concurrent first uses of one key: one request published; the rest 409, replay or 422',
  { timeout: 60_000 },
  async (t) => {
    const { app, kafka, topics } = await startPlatform(t, { processors: 0 })
    const before = await topicSize(kafka, topics.requests)

    const key = randomUUID()
    const alike = await Promise.all(
      Array.from({ length: 8 }, () =>
        send(app, key, { method: 'POST', url: '/usuarios', payload: { nome: 'Ana' } })
      )
    )
    for (const answer of alike) {
      assert.ok(
        answer.statusCode === 202 ||
          (answer.statusCode === 409 && errorCode(answer) === 'IDEMPOTENCY_KEY_IN_USE'),
        `${answer.statusCode} ${answer.body}`
      )
      if (answer.statusCode === 409) assert.equal(answer.headers['retry-after'], '1')
    }
    const accepted = alike.filter((answer) => answer.statusCode === 202)
    assert.ok(accepted.length >= 1)
    assert.equal(new Set(accepted.map((answer) => answer.json().correlation_id)).size, 1)
    assert.equal(await topicSize(kafka, topics.requests), before + 1, 'exactly one event')

    const mixedKey = randomUUID()
    const mixed = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        send(app, mixedKey, {
          method: 'POST',
          url: '/usuarios',
          payload: { nome: index % 2 === 0 ? 'Ana' : 'Bia' }
        })
      )
    )
    const winners = mixed.filter((answer) => answer.statusCode === 202)
    assert.equal(new Set(winners.map((answer) => answer.json().correlation_id)).size, 1)
    const winnerName = (winners[0]?.json() as { usuario: { nome: string } }).usuario.nome
    mixed.forEach((answer, index) => {
      const sentName = index % 2 === 0 ? 'Ana' : 'Bia'
      if (sentName === winnerName) assert.ok([202, 409].includes(answer.statusCode), answer.body)
      else assert.equal(answer.statusCode, 422, answer.body)
    })
    assert.equal(await topicSize(kafka, topics.requests), before + 2, 'one more event, no other')
  }
)

/** A request from a small domain, so that equal pairs come up often. */
interface Candidate {
  route: 'usuarios' | 'config' | 'gerar'
  userId: number
  fields: Record<string, unknown>
  /** Which fields travel in the query string (the rest in the body). */
  inQuery: Record<string, boolean>
}

const candidate: fc.Arbitrary<Candidate> = fc
  .record({
    route: fc.constantFrom('usuarios', 'config', 'gerar'),
    userId: fc.constantFrom(1, 2),
    nome: fc.option(fc.constantFrom('Ana', 'Bia'), { nil: undefined }),
    tema: fc.option(fc.constantFrom('escuro', 'claro'), { nil: undefined }),
    inQuery: fc.dictionary(fc.constantFrom('nome', 'tema', 'user_id'), fc.boolean())
  })
  .map(({ route, userId, nome, tema, inQuery }) => ({
    route,
    userId,
    fields:
      route === 'usuarios'
        ? nome === undefined
          ? {}
          : { nome }
        : route === 'config'
          ? tema === undefined
            ? {}
            : { tema }
          : { user_id: userId },
    inQuery
  }))

const toRequest = ({ route, userId, fields, inQuery }: Candidate): Sent => {
  const query: Record<string, string> = {}
  const payload: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (inQuery[name]) query[name] = String(value)
    else payload[name] = value
  }
  const url =
    route === 'usuarios'
      ? '/usuarios'
      : route === 'config'
        ? `/usuarios/${userId}/config`
        : '/recomendacoes/gerar'
  return { method: 'POST', url, query, payload }
}

/** Equal requests mean the same thing: same route, same path, same fields wherever they travel. */
const sameRequest = (a: Candidate, b: Candidate) =>
  a.route === b.route &&
  (a.route === 'usuarios' || a.userId === b.userId) &&
  JSON.stringify(a.fields) === JSON.stringify(b.fields)

test(
  'property: under one key, the second request is replayed iff it equals the first',
  { timeout: 180_000 },
  async (t) => {
    const { app, kafka, topics } = await startPlatform(t, { processors: 0 })
    const before = await topicSize(kafka, topics.requests)
    let runs = 0
    let replays = 0
    await fc.assert(
      fc.asyncProperty(candidate, candidate, async (a, b) => {
        runs++
        const key = randomUUID()
        const first = await send(app, key, toRequest(a))
        assert.equal(first.statusCode, 202, first.body)
        const second = await send(app, key, toRequest(b))
        if (sameRequest(a, b)) {
          replays++
          assert.equal(second.statusCode, 202, second.body)
          assert.equal(second.headers['idempotent-replayed'], 'true')
          assert.deepEqual(second.json(), first.json())
        } else {
          assert.equal(second.statusCode, 422, second.body)
          assert.equal(errorCode(second), 'IDEMPOTENCY_KEY_MISMATCH')
        }
      }),
      { numRuns: 80, seed: 20261201 }
    )
    t.diagnostic(`${runs} pairs, ${replays} of them equal`)
    assert.ok(replays > 5 && replays < runs - 5, 'both kinds of pair were tried')
    assert.equal(await topicSize(kafka, topics.requests), before + runs, 'one event per key')
  }
)
