// Drill: two processors share the consumer group; one is killed with SIGKILL mid-load. The
// group rebalances its partitions to the survivor, which picks up from the last commits and
// works through the requests that piled up meanwhile.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  awaitTopicSize,
  backlog,
  checkDrill,
  spawnProcessor,
  startDrillPlatform
} from '../helpers/drill.ts'
import { waitForGroup } from '../helpers/kafka.ts'
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
    const load = sendLoad({
      baseUrl: platform.baseUrl,
      chains: planChains(USERS),
      concurrency: 32,
      deadlineMs: 120_000
    })
    const replied = await awaitTopicSize(
      platform,
      topics.responses,
      USERS,
      'replies before the kill'
    )
    await doomed.kill('SIGKILL')
    const sent = load.answers.length
    const unanswered = await backlog(platform)
    t.diagnostic(
      `partitions before the kill ${JSON.stringify(before)}; one killed with ${replied} replies ` +
        `out, ${unanswered} requests unanswered, ${sent} of ${USERS * 6} operations sent`
    )
    // Its partitions get no answer until the group drops it: requests pile up behind it.
    assert.ok(sent < USERS * 6, 'killed in the middle of the load')

    // The dead member is dropped after its session timeout; the survivor then holds all three.
    const after = await waitForGroup(kafka, processorGroup, topics.requests, 1, 60_000)
    assert.deepEqual(after, [[0, 1, 2]], 'the survivor holds every partition')
    await load.finished
    await checkDrill(t, platform, load, { settleTimeoutMs: 120_000 })
  }
)
