// An operation route on the real gateway (Kafka and Redis of the native stack, no processor): a
// write under an Idempotency-Key is published once and its 202 answered again on a repeat, a
// different request under the key is a 422, and the accepted operation can be cancelled.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { startPlatform } from '../../../test/helpers/platform.ts'
import { topicSize } from '../../../test/helpers/kafka.ts'

test('Idempotency-Key: one publication, the same 202 again, 422 for another request', async (t) => {
  const { app, kafka, topics } = await startPlatform(t, { processors: 0 })
  const headers = { 'idempotency-key': randomUUID() }
  const send = (payload: object) =>
    app.inject({ method: 'POST', url: '/usuarios', headers, payload })

  const first = await send({ nome: 'Ana Souza' })
  assert.equal(first.statusCode, 202, first.body)
  const body = first.json<{ correlation_id: string; status_url: string }>()
  assert.equal(first.headers.location, body.status_url)
  assert.equal(first.headers['retry-after'], '1')
  assert.equal(first.headers['idempotent-replayed'], undefined)

  const repeat = await send({ nome: 'Ana Souza' })
  assert.equal(repeat.statusCode, 202, repeat.body)
  assert.deepEqual(repeat.json(), body, 'the first 202, generated fields included')
  assert.equal(repeat.headers['idempotent-replayed'], 'true')
  assert.equal(repeat.headers.location, body.status_url)

  const other = await send({ nome: 'Bia Lima' })
  assert.equal(other.statusCode, 422, other.body)
  assert.equal(other.json<{ code: string }>().code, 'IDEMPOTENCY_KEY_MISMATCH')
  assert.equal(await topicSize(kafka, topics.requests), 1, 'published once')

  const status = await app.inject({ method: 'GET', url: body.status_url })
  assert.equal(status.json<{ status: string }>().status, 'pending')
  const cancel = await app.inject({ method: 'DELETE', url: body.status_url })
  assert.equal(cancel.statusCode, 200, cancel.body)
  assert.equal(cancel.json<{ status: string }>().status, 'cancelled')
  const again = await app.inject({ method: 'DELETE', url: body.status_url })
  assert.equal(again.statusCode, 409)
  assert.equal(again.json<{ code: string }>().code, 'ALREADY_FINISHED')
})
