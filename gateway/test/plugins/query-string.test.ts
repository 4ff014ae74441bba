import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import errors from '../../src/plugins/errors.ts'
import queryString, { queryStringProblem } from '../../src/plugins/query-string.ts'
import { defer } from '../../../test/helpers/cleanup.ts'

test('well-formed query strings pass, percent-encoded UTF-8 included', () => {
  for (const query of [
    '',
    'nome=Maria%20Souza',
    'nome=Jo%C3%A3o&plano=Padr%C3%A3o',
    'emoji=%F0%9F%98%80',
    'flag',
    'a=1&&b=',
    'nome=Ana+Lima'
  ]) {
    assert.equal(queryStringProblem(query), undefined, query)
  }
})

test('malformed escapes and bytes that are not UTF-8 name the parameter', () => {
  const cases = [
    ['nome=%C3%28', 'querystring.nome'],
    ['nome=%FF', 'querystring.nome'],
    ['plano=Premium&titulo=100%', 'querystring.titulo'],
    ['nome=%E2%82', 'querystring.nome'],
    ['nome=%ED%A0%80', 'querystring.nome'],
    ['nome=%C0%AF', 'querystring.nome'],
    ['nome=%zz', 'querystring.nome'],
    ['%FF=1', 'a query string tem um nome de parâmetro']
  ] as const
  for (const [query, names] of cases) {
    const problem = queryStringProblem(query)
    assert.ok(problem?.startsWith(names), `${query}: ${problem}`)
  }
})

test('the hook answers 400 before the route runs', async (t) => {
  const app = Fastify()
  await app.register(errors)
  await app.register(queryString)
  let handled = 0
  app.get('/x', async (request) => {
    handled++
    return request.query
  })
  defer(t, () => app.close())

  const bad = await app.inject({ method: 'GET', url: '/x?nome=%C3%28' })
  assert.equal(bad.statusCode, 400, bad.body)
  assert.deepEqual(bad.json(), {
    statusCode: 400,
    code: 'INVALID_QUERY_STRING',
    error: 'Bad Request',
    message: 'querystring.nome não é UTF-8 válido codificado com %'
  })
  assert.equal(handled, 0)

  const good = await app.inject({ method: 'GET', url: '/x?nome=Jo%C3%A3o' })
  assert.equal(good.statusCode, 200, good.body)
  assert.deepEqual(good.json(), { nome: 'João' })
})
