// Drill: Kafka stopped in the middle of a load and started again. While it is down every request
// is refused at once (503 with Retry-After, within the acknowledgement bound), never left hanging;
// when it is back the gateway accepts again by itself, and nothing accepted is lost.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkDrill, pollUntil, spawnProcessor, startDrillPlatform } from '../helpers/drill.ts'
import { defer } from '../helpers/cleanup.ts'
import { planChains, sendLoad, type Answer } from '../helpers/load.ts'
import { assertStackRuns, startServer, stopServer } from '../helpers/stack.ts'

const USERS = 500 // × 6 operations
/** How long Kafka stays down once stopped, with requests arriving all along. */
const DOWN_MS = 8_000
/** The bound on a refusal the SPEC sets (the acknowledgement timeout is 4 s by default). */
const REFUSAL_BOUND_MS = 5_000
/** Bound on the gateway accepting again once Kafka answers. */
const RECOVERY_BOUND_MS = 60_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test(
  'Kafka stopped mid-load: 503 + Retry-After within 5 s while down, accepted again by itself, nothing accepted lost',
  { timeout: 360_000 },
  async (t) => {
    await assertStackRuns('kafka')
    const platform = await startDrillPlatform(t)
    await spawnProcessor(t, platform)
    // Registered after the platform, so it runs before it: the platform's clean-up needs Kafka.
    defer(t, () => startServer('kafka'))

    const load = sendLoad({
      baseUrl: platform.baseUrl,
      chains: planChains(USERS),
      concurrency: 16,
      // Spread over time, so that requests arrive before, during and after the outage.
      ratePerSecond: 60,
      deadlineMs: 150_000
    })
    const accepted = () => load.answers.filter((answer) => answer.code === 202).length
    const { held } = await pollUntil(
      async () => accepted(),
      (n) => n >= 800,
      60_000
    )
    assert.ok(held, `only ${accepted()} accepted in 60 s before the outage`)

    const clock = () => performance.now()
    const stopping = clock()
    const stopMs = await stopServer('kafka')
    const down = clock()
    await sleep(DOWN_MS)
    const starting = clock()
    const startMs = await startServer('kafka')
    const ready = clock()
    t.diagnostic(
      `kafka stopped in ${stopMs} ms, down ${Math.round(starting - down)} ms, ready again in ${startMs} ms`
    )

    // The first request accepted again after Kafka answers: the clients reconnect by themselves.
    const sentAfter = (from: number) => (answer: Answer) => answer.sentAt >= from
    const { held: recovered } = await pollUntil(
      async () => load.answers.some((a) => a.code === 202 && sentAfter(ready)(a)),
      (found) => found,
      RECOVERY_BOUND_MS
    )
    const firstAccepted = load.answers
      .filter((a) => a.code === 202 && sentAfter(ready)(a))
      .reduce((min, a) => Math.min(min, a.sentAt + a.ms), Infinity)
    t.diagnostic(`first 202 ${Math.round(firstAccepted - ready)} ms after Kafka was ready`)
    assert.ok(recovered, `no request accepted within ${RECOVERY_BOUND_MS} ms of Kafka being back`)
    await load.finished

    // While Kafka was down (from its stop until it was started again): refused, quickly, politely.
    const duringOutage = load.answers.filter((a) => a.sentAt >= down && a.sentAt + a.ms <= starting)
    const refusals = load.answers.filter((a) => a.code === 503)
    const slowest = refusals.reduce((max, a) => Math.max(max, a.ms), 0)
    t.diagnostic(
      `while down: ${duringOutage.length} requests, codes ${JSON.stringify(
        duringOutage.reduce<Record<string, number>>(
          (c, a) => ({ ...c, [a.code]: (c[a.code] ?? 0) + 1 }),
          {}
        )
      )}; all refusals ${refusals.length}, slowest ${slowest} ms; outage ${Math.round(ready - stopping)} ms`
    )
    assert.ok(duringOutage.length >= 10, `requests kept coming while Kafka was down`)
    assert.ok(
      duringOutage.every((a) => a.code === 503),
      'every request while Kafka is down is refused'
    )
    assert.ok(refusals.length > 0, 'some requests were refused')
    assert.ok(
      refusals.every((a) => Number(a.retryAfter) > 0),
      'every 503 carries Retry-After'
    )
    assert.ok(
      slowest < REFUSAL_BOUND_MS,
      `every 503 within ${REFUSAL_BOUND_MS} ms (slowest ${slowest} ms)`
    )

    const report = await checkDrill(t, platform, load, {
      settleTimeoutMs: 180_000,
      refusedMayLand: true
    })
    assert.deepEqual(report.load.other, {}, 'no answer but 202 and 503: no 500, no hang')
  }
)
