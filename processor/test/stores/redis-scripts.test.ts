// The session scripts defined on a real ioredis client whose commands are recorded rather than
// sent (no server): each call goes out as EVALSHA of its script with the two keys and the
// arguments in order, the script text only once per connection (ioredis' part), and the reply
// comes back as the server gave it. redis.integration.test.ts runs the scripts on a real Redis.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Redis, type Command } from 'ioredis'
import { defineSessionScripts } from '../../src/stores/redis-scripts.ts'

/** A client that never connects; each command is recorded and answered with `reply`. */
function recordingClient(reply: unknown) {
  const redis = new Redis({ lazyConnect: true })
  const sent: Array<{ name: string; args: unknown[] }> = []
  redis.sendCommand = (command: Command) => {
    sent.push({ name: command.name, args: [...command.args] })
    command.resolve(reply)
    return command.promise
  }
  return { redis, sent }
}

const args = ['s:1', 'u:42', 1_800, 1_764_000_000_000, '1', 'status', 'ativa'] as const

test('createSession: EVALSHA with its two keys and the arguments in order', async () => {
  const { redis, sent } = recordingClient([1, ['status', 'ativa']])
  const scripts = defineSessionScripts(redis, 'ativa')
  assert.deepEqual(await scripts.createSession(...args), [1, ['status', 'ativa']])
  assert.equal(sent.length, 1)
  assert.equal(sent[0]!.name, 'evalsha')
  const [sha, keyCount, ...rest] = sent[0]!.args
  assert.match(String(sha), /^[0-9a-f]{40}$/)
  assert.equal(keyCount, '2')
  assert.deepEqual(rest, args.map(String), 'as ioredis writes them: strings')
})

test('updateActiveSession: its own script, which names the active status it compares with', async () => {
  const { redis, sent } = recordingClient([])
  const scripts = defineSessionScripts(redis, 'ativa')
  assert.deepEqual(await scripts.updateActiveSession(...args), [])
  await scripts.createSession(...args)
  const [update, create] = sent
  assert.equal(update!.name, 'evalsha')
  assert.notEqual(update!.args[0], create!.args[0], 'two scripts, two digests')

  // The status is part of the script: another value is another script.
  const other = recordingClient([])
  await defineSessionScripts(other.redis, 'active').updateActiveSession(...args)
  assert.notEqual(other.sent[0]!.args[0], update!.args[0])
})
