import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { loadMonitorConfig, MonitorConfigSchema } from '../src/config.ts'

test('monitor config has working local defaults', () => {
  const config = loadMonitorConfig({})
  assert.equal(config.MONITOR_PORT, 8002)
  assert.equal(config.ELASTICSEARCH_URL, 'http://127.0.0.1:9200')
})

test('monitor config rejects an unknown log level', () => {
  assert.throws(() => loadMonitorConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL="loud"/)
})

test('.env.example lists every monitor variable with its default', async () => {
  const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8')
  const listed = Object.fromEntries(
    [...text.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1], match[2]])
  )
  const defaults = loadMonitorConfig({})
  for (const name of Object.keys(MonitorConfigSchema.properties)) {
    assert.ok(name in listed, `${name} missing from .env.example`)
    assert.equal(listed[name], String(defaults[name as keyof typeof defaults]), name)
  }
})
