// Drill: two processors share the consumer group; one is killed with SIGKILL mid-load. The
// group rebalances its partitions to the survivor, which picks up from the last commits.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkDrill, pollUntil, spawnProcessor, startDrillPlatform } from '../helpers/drill.ts'
import { topicSize, waitForGroup } from '../helpers/kafka.ts'
import { planChains, sendLoad } from '../helpers/load.ts'

const USERS = 500 // × 6 operations

test(
  'two processors, one SIGKILLed mid-load: the survivor takes its partitions; every accepted operation ends once',
  { timeout: 300_000 },
  async (t) => {
    const platform = await startDrillPlatform(t)
    const { kafka, topics, processorGroup } = platform
    const doomed = await spawnProcessor(t, platform)
    await spawnProcessor(t, platform)
    const before = await waitForGroup(kafka, processorGroup, topics.requests, 2, 60_000)
    t.diagnostic(`partitions of the two members before the kill: ${JSON.stringify(before)}`)

    const load = sendLoad({
      baseUrl: platform.baseUrl,
      chains: planChains(USERS),
      concurrency: 32,
      deadlineMs: 120_000
    })
    const { value: repliedAtKill, held } = await pollUntil(
      () => topicSize(kafka, topics.responses),
      (replies) => replies >= USERS * 2,
      90_000
    )
    assert.ok(held, `processors answered only ${repliedAtKill} in 90 s before the kill`)
    await doomed.kill('SIGKILL')
    t.diagnostic(
      `one killed with ${repliedAtKill} replies out, ${load.answers.length} answers sent`
    )

    // The dead member is dropped after its session timeout; the survivor then holds all three.
    const after = await waitForGroup(kafka, processorGroup, topics.requests, 1, 60_000)
    assert.deepEqual(after, [[0, 1, 2]], 'the survivor holds every partition')
    await load.finished
    await checkDrill(t, platform, load, { settleTimeoutMs: 120_000 })
  }
)
