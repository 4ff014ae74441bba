import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  canonicalJson,
  idempotencyClient,
  idempotencyScopeOf,
  requestFingerprint
} from '../../src/idempotency/fingerprint.ts'

test('canonical JSON does not depend on key order, at any depth', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
      const reversed = Object.fromEntries(Object.entries(value).reverse())
      assert.equal(canonicalJson(reversed), canonicalJson(value))
      assert.deepEqual(JSON.parse(canonicalJson(value)), JSON.parse(JSON.stringify(value)))
    })
  )
  assert.equal(
    canonicalJson({ b: { d: 1, c: [2, { f: 3, e: 4 }] }, a: null }),
    '{"a":null,"b":{"c":[2,{"e":4,"f":3}],"d":1}}'
  )
})

test('a fingerprint changes with the method, the route or any field', () => {
  const base = { method: 'POST', route: '/usuarios', fields: { nome: 'Ana' } }
  const same = requestFingerprint(base)
  assert.equal(requestFingerprint({ ...base, method: 'post' }), same, 'methods are case-blind')
  assert.notEqual(requestFingerprint({ ...base, method: 'PUT' }), same)
  assert.notEqual(requestFingerprint({ ...base, route: '/sessoes' }), same)
  assert.notEqual(requestFingerprint({ ...base, fields: { nome: 'Bia' } }), same)
  assert.notEqual(requestFingerprint({ ...base, fields: { nome: 'Ana', user_id: 1 } }), same)
  assert.notEqual(requestFingerprint({ ...base, fields: { nome: ['Ana'] } }), same)
  assert.notEqual(
    requestFingerprint({ ...base, fields: { user_id: '1' } }),
    requestFingerprint({ ...base, fields: { user_id: 1 } })
  )
})

test('an idempotency client names an API key without holding it', () => {
  const key = 'a-very-secret-api-key-0123456789'
  const client = idempotencyClient(key)
  assert.equal(idempotencyClient(key), client, 'stable')
  assert.ok(!client.includes(key), 'the key itself is not in the name')
  assert.notEqual(idempotencyClient(`${key}x`), client)
  assert.equal(idempotencyClient(undefined), idempotencyClient(''))
  assert.notEqual(idempotencyClient(undefined), client)
})

test("a write's Idempotency-Key is scoped to its client and request; reads have none", () => {
  const request = { method: 'POST', route: '/usuarios', fields: { nome: 'Ana' } }
  const key = 'a-very-secret-api-key-0123456789'
  assert.deepEqual(idempotencyScopeOf({ 'idempotency-key': 'k-1', 'x-api-key': key }, request), {
    client: idempotencyClient(key),
    key: 'k-1',
    fingerprint: requestFingerprint(request)
  })
  assert.equal(
    idempotencyScopeOf({ 'idempotency-key': 'k-1' }, request)?.client,
    idempotencyClient(undefined),
    'keys off: one shared namespace'
  )
  assert.equal(idempotencyScopeOf({}, request), undefined, 'no header')
  assert.equal(idempotencyScopeOf({ 'idempotency-key': '' }, request), undefined, 'empty header')
  assert.equal(
    idempotencyScopeOf({ 'idempotency-key': 'k-1' }, { ...request, method: 'GET' }),
    undefined,
    'a read is safe to repeat anyway'
  )
})
