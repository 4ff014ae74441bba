// Drill: the processor is killed with SIGKILL in the middle of a load and started again. Kafka
// redelivers what was not committed; the reply log and the stores' idempotency keep every
// effect single. Runs a processor in a child process (it must die without any clean-up).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkDrill, pollUntil, spawnProcessor, startDrillPlatform } from '../helpers/drill.ts'
import { topicSize } from '../helpers/kafka.ts'
import { planChains, sendLoad } from '../helpers/load.ts'

const USERS = 500 // × 6 operations

test(
  'processor SIGKILLed mid-load and restarted: every accepted operation ends once, no duplicates',
  { timeout: 300_000 },
  async (t) => {
    const platform = await startDrillPlatform(t)
    const first = await spawnProcessor(t, platform)
    const load = sendLoad({
      baseUrl: platform.baseUrl,
      chains: planChains(USERS),
      concurrency: 32,
      deadlineMs: 120_000
    })

    // Mid-load: the processor has answered a part and has more in hand and in its backlog.
    const { value: repliedAtKill, held } = await pollUntil(
      () => topicSize(platform.kafka, platform.topics.responses),
      (replies) => replies >= USERS * 2,
      90_000
    )
    assert.ok(held, `processor answered only ${repliedAtKill} in 90 s before the kill`)
    await first.kill('SIGKILL')
    t.diagnostic(`killed with ${repliedAtKill} replies out, ${load.answers.length} answers sent`)

    await spawnProcessor(t, platform)
    await load.finished
    await checkDrill(t, platform, load, { settleTimeoutMs: 120_000 })
  }
)
