// Stopping and starting servers of the native stack from a test (outage drills). Asynchronous,
// so the load a drill sends and the services under test run on while a server goes down.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const root = new URL('../..', import.meta.url).pathname
const run = promisify(execFile)

export type StackServer = 'postgres' | 'redis' | 'ferretdb' | 'kafka' | 'elasticsearch'

/** Runs `bash stack/stack.sh …`; fails saying that the test needs the native stack. */
export async function stack(args: string[], timeoutMs = 300_000): Promise<string> {
  try {
    const { stdout, stderr } = await run('bash', ['stack/stack.sh', ...args], {
      cwd: root,
      timeout: timeoutMs
    })
    return `${stdout}${stderr}`
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string }
    throw new Error(
      `\`bash stack/stack.sh ${args.join(' ')}\` failed — this test needs the native stack:\n` +
        `${stdout ?? ''}${stderr ?? ''}`,
      { cause: err }
    )
  }
}

/** Asserts that the native stack itself runs `server`, so that stopping it is in its power. */
export async function assertStackRuns(server: StackServer): Promise<void> {
  let status: string
  try {
    status = await stack(['status'], 60_000)
  } catch (err) {
    // `status` exits 1 when some server does not answer; its lines are still there.
    status = (err as Error).message
  }
  const line = status.split('\n').find((l) => l.startsWith(`${server} `))
  assert.match(
    line ?? '',
    /running \(pid \d+\)/,
    `this drill stops ${server}, so it needs ${server} run by the native stack (stack/stack.sh status: ${line})`
  )
}

/** Stops a server of the stack; resolves with the milliseconds it took. */
export async function stopServer(server: StackServer): Promise<number> {
  const started = performance.now()
  await stack(['stop', server])
  return Math.round(performance.now() - started)
}

/** Starts a server of the stack and waits until it answers; resolves with the milliseconds. */
export async function startServer(server: StackServer): Promise<number> {
  const started = performance.now()
  await stack(['start', server])
  return Math.round(performance.now() - started)
}
