import assert from 'node:assert/strict'
import { test } from 'node:test'
import Type from 'typebox'
import { port } from '@streaming/contracts'
import { ConfigError, loadConfig } from '../src/env.ts'

const Schema = Type.Object({
  PORT: port(8000, 'port'),
  LEVEL: Type.Enum(['info', 'debug'], { default: 'info' }),
  ENABLED: Type.Boolean({ default: false }),
  URL: Type.String({ minLength: 1 })
})

test('fills defaults, converts strings and ignores unrelated variables', () => {
  const config = loadConfig(Schema, {
    URL: 'redis://x',
    PORT: '8100',
    ENABLED: 'true',
    PATH: '/bin'
  })
  assert.deepEqual(config, { PORT: 8100, LEVEL: 'info', ENABLED: true, URL: 'redis://x' })
})

test('treats an empty variable as unset', () => {
  assert.equal(loadConfig(Schema, { URL: 'u', PORT: '' }).PORT, 8000)
})

test('names every invalid or missing variable', () => {
  assert.throws(
    () => loadConfig(Schema, { PORT: '70000', LEVEL: 'loud' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.equal(err.problems.length, 3)
      assert.match(err.message, /PORT="70000" must be <= 65535/)
      assert.match(err.message, /LEVEL="loud"/)
      assert.match(err.message, /URL is required/)
      return true
    }
  )
})

test('rejects a value that does not convert', () => {
  assert.throws(() => loadConfig(Schema, { URL: 'u', PORT: 'eighty' }), /PORT="eighty"/)
})

test('names a secret that is wrong without echoing its value', () => {
  const WithSecret = Type.Object({
    TOKEN: Type.String({ minLength: 20, writeOnly: true, default: '' })
  })
  assert.throws(
    () => loadConfig(WithSecret, { TOKEN: 'hunter2-is-short' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.match(err.message, /TOKEN must not have fewer than 20 characters/)
      assert.doesNotMatch(err.message, /hunter2/)
      return true
    }
  )
})
