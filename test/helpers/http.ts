import assert from 'node:assert/strict'
import type { GatewayApp } from '../../gateway/src/app.ts'
import type { OperationStatusRecord } from '../../gateway/src/plugins/status-store.ts'

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface Accepted {
  correlation_id: string
  status_url: string
  [field: string]: unknown
}

/** Sends an operation request and asserts the 202 the SPEC promises. */
export async function accept(
  app: GatewayApp,
  method: Method,
  url: string,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {}
): Promise<Accepted> {
  const response = await app.inject({ method, url, headers, ...(body ? { payload: body } : {}) })
  assert.equal(
    response.statusCode,
    202,
    `${method} ${url} → ${response.statusCode} ${response.body}`
  )
  const accepted = response.json<Accepted>()
  assert.equal(response.headers.location, `/status/${accepted.correlation_id}`)
  assert.ok(response.headers['retry-after'], 'Retry-After header')
  assert.equal(accepted.status_url, `/status/${accepted.correlation_id}`)
  return accepted
}

/** The operation's status once terminal (GET /status/{id}?wait=N). */
export async function settle(
  app: GatewayApp,
  accepted: Accepted,
  waitSeconds = 20
): Promise<OperationStatusRecord> {
  const response = await app.inject({
    method: 'GET',
    url: `${accepted.status_url}?wait=${waitSeconds}`
  })
  assert.equal(response.statusCode, 200, response.body)
  const record = response.json<OperationStatusRecord>()
  assert.notEqual(record.status, 'pending', `still pending after ${waitSeconds} s`)
  return record
}

/** Runs an operation to its end and asserts it succeeded. */
export async function succeed(
  app: GatewayApp,
  method: Method,
  url: string,
  body?: Record<string, unknown>
): Promise<{ accepted: Accepted; result: OperationStatusRecord }> {
  const accepted = await accept(app, method, url, body)
  const result = await settle(app, accepted)
  assert.equal(result.status, 'success', `${method} ${url}: ${result.message}`)
  return { accepted, result }
}
