// The gateway's error answers on the real gateway (Kafka and Redis of the native stack): 405
// with Allow on its own routes, 404 and 400 beside them, and 414 and 431 on a real socket. The
// error plugin itself is tested on a bare Fastify in errors.test.ts.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { assertOversizeAnswers, listenOnFreePort } from '../../../test/helpers/raw-http.ts'
import { startPlatform } from '../../../test/helpers/platform.ts'

test('the real gateway: 405 with Allow on its routes, 414 and 431 on a socket', async (t) => {
  const { app } = await startPlatform(t, { processors: 0 })
  const id = randomUUID()
  for (const [method, url, allow] of [
    ['POST', '/health', 'GET, HEAD, OPTIONS'],
    ['GET', '/usuarios', 'POST, OPTIONS'],
    ['PUT', `/status/${id}`, 'GET, HEAD, DELETE, OPTIONS'],
    ['DELETE', '/cache/conteudo/c-1', 'GET, HEAD, POST, OPTIONS'],
    ['GET', `/sessoes/${id}`, 'DELETE, OPTIONS'],
    ['POST', '/docs/json', 'GET, HEAD, OPTIONS'],
    // A declared path that another method's route would take as a parameter.
    ['GET', '/recomendacoes/gerar', 'POST, OPTIONS'],
    ['QUERY', '/health', 'GET, HEAD, OPTIONS']
  ] as const) {
    const response = await app.inject({ method, url })
    assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`)
    assert.equal(response.headers.allow, allow, `${method} ${url}`)
    assert.equal(response.json<{ code: string }>().code, 'METHOD_NOT_ALLOWED')
  }
  const badId = await app.inject({ method: 'GET', url: '/recomendacoes/abc' })
  assert.equal(badId.statusCode, 400, 'a parameter that fails validation is still a 400')
  assert.match(badId.json<{ message: string }>().message, /user_id/)
  const missing = await app.inject({ method: 'GET', url: '/usuario' })
  assert.equal(missing.statusCode, 404)
  assert.equal(missing.json<{ code: string }>().code, 'ROUTE_NOT_FOUND')

  const port = await listenOnFreePort(t, app)
  await assertOversizeAnswers(port, '/')
})
