// Drill: cancellations racing the processor. 1,000 operations wait in a backlog; each is
// cancelled at a random moment while the processor works through it. A cancellation is
// definitive: a 200 means the operation never runs (status `cancelled`, no effect in any store),
// a 409 means it ran or will run (status `success`, its effect exactly once) — never "maybe".
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OperationStatusRecord } from '../../gateway/src/plugins/status-store.ts'
import {
  pollUntil,
  readStatuses,
  spawnProcessor,
  startDrillPlatform,
  storeEffects,
  type DrillPlatform
} from '../helpers/drill.ts'
import { topicSize } from '../helpers/kafka.ts'
import { operationKinds, planChains, type PlannedOperation } from '../helpers/load.ts'

const OPERATIONS = 1_000
// A slow processor, so that the backlog lasts long enough for cancellations to meet it at every
// stage: before its turn, while it is applied, after it is done.
const PROCESSOR_ENV = { PROCESSOR_CONCURRENCY: '2', PROCESSOR_COMMIT_EVERY: '50' }

interface Sent {
  operation: PlannedOperation
  correlationId: string
}

async function post(platform: DrillPlatform, operation: PlannedOperation): Promise<Sent> {
  const response = await fetch(`${platform.baseUrl}${operation.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(operation.body),
    signal: AbortSignal.timeout(10_000)
  })
  const text = await response.text()
  assert.equal(response.status, 202, `${operation.url}: ${text}`)
  return {
    operation,
    correlationId: (JSON.parse(text) as { correlation_id: string }).correlation_id
  }
}

/** Sends operations `concurrency` at a time, in order of the list. */
async function postAll(platform: DrillPlatform, operations: PlannedOperation[], concurrency = 32) {
  const sent: Sent[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < operations.length) {
        const operation = operations[next++] as PlannedOperation
        sent.push(await post(platform, operation))
      }
    })
  )
  return sent
}

async function awaitTerminal(platform: DrillPlatform, ids: string[], timeoutMs: number) {
  const { value, held } = await pollUntil(
    () => readStatuses(platform, ids),
    (statuses) => [...statuses.values()].every((r) => r !== undefined && r.status !== 'pending'),
    timeoutMs,
    500
  )
  const open = [...value.values()].filter((r) => r === undefined || r.status === 'pending')
  assert.ok(held, `${open.length} of ${ids.length} operations not terminal in ${timeoutMs} ms`)
  return value as Map<string, OperationStatusRecord>
}

interface CancelAnswer {
  code: number
  body: { status?: string; code?: string }
}

async function cancel(platform: DrillPlatform, correlationId: string): Promise<CancelAnswer> {
  const response = await fetch(`${platform.baseUrl}/status/${correlationId}`, {
    method: 'DELETE',
    signal: AbortSignal.timeout(10_000)
  })
  return { code: response.status, body: (await response.json()) as CancelAnswer['body'] }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test(
  'cancellations at random moments of a backlog: a 200 never runs, a 409 runs exactly once',
  { timeout: 420_000 },
  async (t) => {
    const platform = await startDrillPlatform(t)
    const { kafka, topics } = platform

    // One operation per user, of every kind in turn; the users they need exist beforehand
    // (an operation of kind `usuario` creates its own user, so it is the one cancelled).
    const chains = planChains(OPERATIONS)
    const targets = chains.map((chain, index) => {
      const kind = operationKinds[index % operationKinds.length]
      return chain.operations.find((operation) => operation.kind === kind) as PlannedOperation
    })
    const setup = chains
      .filter((_, index) => targets[index]?.kind !== 'usuario')
      .map((chain) => chain.operations[0] as PlannedOperation)

    const setupProcessor = await spawnProcessor(t, platform, PROCESSOR_ENV)
    const setupStarted = performance.now()
    const created = await postAll(platform, setup)
    await awaitTerminal(
      platform,
      created.map((sent) => sent.correlationId),
      180_000
    )
    const perOperationMs = (performance.now() - setupStarted) / setup.length
    t.diagnostic(`${setup.length} users created, ${perOperationMs.toFixed(1)} ms per operation`)
    await setupProcessor.kill('SIGTERM')

    // The backlog: every operation accepted while no processor runs.
    const backlog = await postAll(platform, targets)
    const repliesBefore = await topicSize(kafka, topics.responses)

    // Cancellations spread over the time the processor takes to work through the backlog.
    const spreadMs = Math.max(2_000, perOperationMs * OPERATIONS * 1.2)
    await spawnProcessor(t, platform, PROCESSOR_ENV)
    const answers = await Promise.all(
      backlog.map(async (sent) => {
        await sleep(Math.random() * spreadMs)
        return { sent, answer: await cancel(platform, sent.correlationId) }
      })
    )

    const unexpected = answers.filter(
      ({ answer }) =>
        !(answer.code === 200 && answer.body.status === 'cancelled') &&
        !(
          answer.code === 409 &&
          (answer.body.code === 'ALREADY_STARTED' || answer.body.code === 'ALREADY_FINISHED')
        )
    )
    assert.deepEqual(
      unexpected.slice(0, 5).map(({ answer }) => answer),
      [],
      `${unexpected.length} cancellations answered neither 200 cancelled nor 409`
    )
    const won = answers.filter(({ answer }) => answer.code === 200)
    const refused = answers.filter(({ answer }) => answer.code === 409)
    const started = refused.filter(({ answer }) => answer.body.code === 'ALREADY_STARTED')
    t.diagnostic(
      `cancellations: ${won.length} won, ${refused.length} refused (${started.length} while being applied) over ${Math.round(spreadMs)} ms`
    )
    assert.ok(
      won.length >= 50 && refused.length >= 50,
      'cancellations met the backlog at every stage'
    )

    const statuses = await awaitTerminal(
      platform,
      backlog.map((sent) => sent.correlationId),
      240_000
    )
    const effects = await storeEffects(platform)
    const effectCount = ({ operation }: Sent) =>
      effects[operation.kind].filter((userId) => userId === operation.userId).length

    const wrongCancelled = won.filter(
      ({ sent }) =>
        statuses.get(sent.correlationId)?.status !== 'cancelled' || effectCount(sent) !== 0
    )
    assert.deepEqual(
      wrongCancelled.slice(0, 5).map(({ sent }) => ({
        kind: sent.operation.kind,
        status: statuses.get(sent.correlationId)?.status,
        effects: effectCount(sent)
      })),
      [],
      `${wrongCancelled.length} operations cancelled with 200 ran anyway`
    )
    const wrongRefused = refused.filter(
      ({ sent }) =>
        statuses.get(sent.correlationId)?.status !== 'success' || effectCount(sent) !== 1
    )
    assert.deepEqual(
      wrongRefused.slice(0, 5).map(({ sent }) => ({
        kind: sent.operation.kind,
        status: statuses.get(sent.correlationId)?.status,
        effects: effectCount(sent)
      })),
      [],
      `${wrongRefused.length} operations whose cancellation was refused did not run exactly once`
    )

    // Exactly one reply per operation, cancelled or not, and nothing dead-lettered.
    const { value: replies } = await pollUntil(
      () => topicSize(kafka, topics.responses),
      (size) => size >= repliesBefore + OPERATIONS,
      30_000
    )
    assert.equal(replies - repliesBefore, OPERATIONS, 'one reply per operation')
    assert.equal(await topicSize(kafka, topics.deadLetters), 0)
  }
)
