import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { test } from 'node:test'
import { checkDependency, healthReport, withTimeout } from '../src/lifecycle.ts'

const lifecycle = new URL('../src/lifecycle.ts', import.meta.url).href

interface LogLine {
  level: number
  msg: string
  signal?: string
  err?: { message: string }
}

/**
 * A process that calls closeOnSignals with `close` (an async function's source) and logs as JSON;
 * `signals` are sent once it is ready. Signal handlers are process-wide, so each case gets a
 * process of its own rather than the test runner's.
 */
async function shutdown(close: string, signals: NodeJS.Signals[], forceAfterMs = 5_000) {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { pino } from 'pino'
import { closeOnSignals } from '${lifecycle}'
// Written synchronously: an asynchronous write still under way when the process exits can land
// after the lines flushed at exit, which would reorder what this test reads.
const log = pino({ base: null }, pino.destination({ dest: 1, sync: true }))
closeOnSignals(log, ${close}, ${forceAfterMs})
setInterval(() => {}, 1_000)
log.info('ready')`
    ],
    { cwd: new URL('..', import.meta.url), stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const lines: LogLine[] = []
  let buffered = ''
  let ready: () => void
  const isReady = new Promise<void>((resolve) => (ready = resolve))
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const complete = buffered.split('\n')
    buffered = complete.pop() ?? ''
    for (const line of complete) {
      const parsed = JSON.parse(line) as LogLine
      lines.push(parsed)
      if (parsed.msg === 'ready') ready()
    }
  })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  await isReady
  for (const signal of signals) {
    child.kill(signal)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const [code] = await exited
  return { code, lines: lines.filter((line) => line.msg !== 'ready') }
}

test('a signal closes the service once, logs it and exits 0', async () => {
  const signals = ['SIGTERM', 'SIGINT'] as const
  const runs = await Promise.all(signals.map((signal) => shutdown('async () => {}', [signal])))
  runs.forEach(({ code, lines }, i) => {
    assert.equal(code, 0)
    assert.deepEqual(
      lines.map(({ level, msg, signal }) => ({ level, msg, signal })),
      [
        { level: 30, msg: 'shutting down', signal: signals[i] },
        { level: 30, msg: 'stopped', signal: undefined }
      ]
    )
  })
})

test('a close that fails exits 1 with the error under `err`', async () => {
  const { code, lines } = await shutdown("async () => { throw new Error('store gone') }", [
    'SIGTERM'
  ])
  assert.equal(code, 1)
  const failed = lines.find((line) => line.msg === 'shutdown failed')
  assert.equal(failed?.level, 50)
  assert.equal(failed?.err?.message, 'store gone')
  assert.ok(!lines.some((line) => line.msg === 'stopped'))
})

test('a close that outlasts the grace period exits 1', async () => {
  const { code, lines } = await shutdown('() => new Promise(() => {})', ['SIGTERM'], 300)
  assert.equal(code, 1)
  assert.deepEqual(
    lines.map(({ level, msg }) => ({ level, msg })),
    [
      { level: 30, msg: 'shutting down' },
      { level: 50, msg: 'shutdown took longer than 0.3 s; exiting' }
    ]
  )
})

test('a second signal during the close exits 1 at once', async () => {
  const { code, lines } = await shutdown('() => new Promise(() => {})', ['SIGTERM', 'SIGINT'])
  assert.equal(code, 1)
  const second = lines.at(-1)
  assert.equal(second?.level, 50)
  assert.equal(second?.signal, 'SIGINT')
})

test('withTimeout passes the answer through, or rejects once the bound is past', async () => {
  assert.equal(await withTimeout(Promise.resolve('pong'), 1_000), 'pong')
  await assert.rejects(withTimeout(new Promise(() => {}), 20), /no answer within 20 ms/)
  await assert.rejects(withTimeout(Promise.reject(new Error('refused')), 1_000), /refused/)
})

test('checkDependency says ok, or why the dependency did not answer', async () => {
  assert.equal(await checkDependency(async () => 'PONG'), 'ok')
  assert.equal(
    await checkDependency(async () => {
      throw new Error('connection refused')
    }),
    'connection refused'
  )
  assert.equal(await checkDependency(() => new Promise(() => {}), 20), 'no answer within 20 ms')
  assert.equal(
    await checkDependency(
      async () => {
        throw new Error('x')
      },
      1_000,
      () => 'unreachable'
    ),
    'unreachable'
  )
})

test('healthReport: 200 when the required checks are ok, 503 naming those failing', () => {
  assert.deepEqual(healthReport('svc', { kafka: 'ok', redis: 'ok' }, { consuming: true }), {
    statusCode: 200,
    body: { status: 'ok', service: 'svc', consuming: true, checks: { kafka: 'ok', redis: 'ok' } }
  })
  const down = { kafka: 'ok', redis: 'no answer within 2000 ms' }
  assert.deepEqual(healthReport('svc', down), {
    statusCode: 503,
    body: { status: 'unavailable', service: 'svc', checks: down, failing: ['redis'] }
  })
  const optional = { kafka: 'ok', elasticsearch: 'connection refused' }
  assert.equal(healthReport('svc', optional, {}, ['kafka']).statusCode, 200, 'only kafka required')
})
