// Drill: the processor is killed with SIGKILL in the middle of a load and started again. Kafka
// redelivers what was not committed; the reply log and the stores' idempotency keep every
// effect single. Runs a processor in a child process (it must die without any clean-up).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  awaitTopicSize,
  backlog,
  checkDrill,
  spawnProcessor,
  startDrillPlatform
} from '../helpers/drill.ts'
import { planChains, sendLoad } from '../helpers/load.ts'

const USERS = 500 // × 6 operations

test(
  'processor SIGKILLed mid-load and restarted: every accepted operation ends once, no duplicates',
  { timeout: 300_000 },
  async (t) => {
    const platform = await startDrillPlatform(t)
    const { topics } = platform
    const load = sendLoad({
      baseUrl: platform.baseUrl,
      chains: planChains(USERS),
      concurrency: 32,
      deadlineMs: 120_000
    })
    // Started behind the load, so it dies with work in hand and more waiting.
    await awaitTopicSize(platform, topics.requests, USERS * 3, 'load before the processor')
    const first = await spawnProcessor(t, platform)
    const replied = await awaitTopicSize(
      platform,
      topics.responses,
      USERS,
      'replies before the kill'
    )
    await first.kill('SIGKILL')
    const unanswered = await backlog(platform)
    t.diagnostic(`killed with ${replied} replies out and ${unanswered} requests unanswered`)
    assert.ok(unanswered > 0, 'killed in the middle of its work')

    await spawnProcessor(t, platform)
    await load.finished
    await checkDrill(t, platform, load, { settleTimeoutMs: 120_000 })
  }
)
