import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { ReplyEnvelope } from '@streaming/contracts'
import { defer } from '../../test/helpers/cleanup.ts'
import { connectRedis, uniqueName } from '../../test/helpers/servers.ts'
import { loadProcessorConfig } from '../src/config.ts'
import { createReplyLog } from '../src/reply-log.ts'

test('the reply log keeps a reply for the configured window, 6 hours by default', async (t) => {
  assert.equal(loadProcessorConfig({}).PROCESSOR_REPLY_LOG_RETENTION_SECONDS, 21_600)
  const retention = loadProcessorConfig({
    PROCESSOR_REPLY_LOG_RETENTION_SECONDS: '7200'
  }).PROCESSOR_REPLY_LOG_RETENTION_SECONDS
  assert.equal(retention, 7_200)

  const redis = await connectRedis(t)
  const prefix = `${uniqueName('test')}:`
  const log = createReplyLog(redis, retention, prefix)
  const eventId = randomUUID()
  defer(t, () => redis.del(`${prefix}processor:reply:${eventId}`))
  const reply = { correlation_id: randomUUID(), status: 'success' } as ReplyEnvelope
  await log.save(eventId, reply)

  assert.deepEqual(await log.get(eventId), reply, 'a redelivery finds the reply')
  const ttl = await redis.ttl(`${prefix}processor:reply:${eventId}`)
  assert.ok(ttl > 7_190 && ttl <= 7_200, `expires with the window: ${ttl} s left`)
  assert.equal(await log.get(randomUUID()), undefined)
})
