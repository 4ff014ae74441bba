import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import Fastify from 'fastify'
import errors from '../../src/plugins/errors.ts'
import jsonBody from '../../src/plugins/json-body.ts'
import { defer } from '../../../test/helpers/cleanup.ts'

const BODY_LIMIT = 1_024

/** A bare app with the gateway's error format and JSON parser, echoing the parsed body. */
async function echoApp(t: TestContext) {
  const app = Fastify({ bodyLimit: BODY_LIMIT })
  await app.register(errors)
  await app.register(jsonBody)
  app.post('/echo', async (request) => ({ body: request.body ?? 'none' }))
  defer(t, () => app.close())
  await app.ready()
  return app
}

const post = (app: Awaited<ReturnType<typeof echoApp>>, payload: string | Buffer) =>
  app.inject({
    method: 'POST',
    url: '/echo',
    headers: { 'content-type': 'application/json' },
    payload
  })

interface ErrorBody {
  statusCode: number
  code: string
  message: string
}

test('valid UTF-8 JSON is parsed as sent, a BOM is dropped', async (t) => {
  const app = await echoApp(t)
  const sent = { nome: 'João Ação 😀', nested: { a: [1, 'ç'] } }
  const response = await post(app, JSON.stringify(sent))
  assert.equal(response.statusCode, 200, response.body)
  assert.deepEqual(response.json(), { body: sent })

  const withBom = await post(app, `\ufeff${JSON.stringify({ a: 1 })}`)
  assert.equal(withBom.statusCode, 200, withBom.body)
  assert.deepEqual(withBom.json(), { body: { a: 1 } })
})

test('bytes that are not UTF-8 are a 400 naming the problem, not U+FFFD', async (t) => {
  const app = await echoApp(t)
  const invalid = [
    [0xff],
    [0xc3, 0x28], // a lead byte followed by a non-continuation byte
    [0xe2, 0x82], // truncated three-byte sequence
    [0xc0, 0xaf], // overlong '/'
    [0xed, 0xa0, 0x80], // UTF-16 surrogate encoded as UTF-8
    [0xf4, 0x90, 0x80, 0x80] // beyond U+10FFFF
  ]
  for (const bytes of invalid) {
    const payload = Buffer.concat([Buffer.from('{"nome":"'), Buffer.from(bytes), Buffer.from('"}')])
    const response = await post(app, payload)
    assert.equal(response.statusCode, 400, `${bytes.join(',')}: ${response.body}`)
    const body = response.json<ErrorBody>()
    assert.equal(body.code, 'INVALID_UTF8')
    assert.equal(body.message, 'o corpo não é UTF-8 válido')
  }
})

test('an empty body is no body; malformed JSON is a 400 saying so', async (t) => {
  const app = await echoApp(t)
  const empty = await post(app, '')
  assert.equal(empty.statusCode, 200, empty.body)
  assert.deepEqual(empty.json(), { body: 'none' })

  const malformed = await post(app, '{"nome": "Ana", ')
  assert.equal(malformed.statusCode, 400, malformed.body)
  assert.equal(malformed.json<ErrorBody>().code, 'INVALID_JSON')
  assert.match(malformed.json<ErrorBody>().message, /^o corpo não é JSON válido: ./)
})

test('prototype-poisoning keys are refused at any depth, also deep in the body', async (t) => {
  const app = await echoApp(t)
  const cases = [
    ['{"__proto__": {"admin": true}}', '__proto__'],
    ['{"a": [{"b": {"__proto__": {"x": 1}}}]}', '__proto__'],
    ['{"\\u005f_proto__": {"x": 1}}', '__proto__'],
    ['{"constructor": {"prototype": {"x": 1}}}', 'constructor.prototype'],
    [`${'['.repeat(200)}{"__proto__": 1}${']'.repeat(200)}`, '__proto__']
  ] as const
  for (const [payload, key] of cases) {
    const response = await post(app, payload)
    assert.equal(response.statusCode, 400, `${payload.slice(0, 40)}: ${response.body}`)
    const body = response.json<ErrorBody>()
    assert.equal(body.code, 'FORBIDDEN_PROPERTY')
    assert.equal(body.message, `o corpo contém uma propriedade proibida: '${key}'`)
  }
  assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was touched')

  // A plain `constructor` field is data, as with Fastify's own parser.
  const harmless = await post(app, '{"constructor": "Ana"}')
  assert.equal(harmless.statusCode, 200, harmless.body)
})

test('a deeply nested body is parsed without exhausting the stack', async (t) => {
  const app = await echoApp(t)
  const depth = BODY_LIMIT / 2 - 1
  const response = await post(app, '['.repeat(depth) + ']'.repeat(depth))
  assert.equal(response.statusCode, 200, response.body.slice(0, 200))
})

test('a body over the limit is a 413, declared or streamed', async (t) => {
  const app = await echoApp(t)
  const oversize = JSON.stringify({ nome: 'x'.repeat(BODY_LIMIT) })
  const response = await post(app, oversize)
  assert.equal(response.statusCode, 413, response.body)
  assert.match(response.json<ErrorBody>().message, /passa do máximo aceito de \d+ bytes/)
})
