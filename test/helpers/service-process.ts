// A service of the platform in a child process, so a test can kill it (SIGKILL: no clean-up of
// any kind) and start another in its place.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'
import { defer } from './cleanup.ts'

const root = new URL('../..', import.meta.url).pathname

export interface ServiceProcess {
  child: ChildProcess
  /** The process's output so far (JSON log lines and stderr), for failure messages. */
  output: string[]
  /** The line that marked it ready. */
  readyLine: string
  /** Sends `signal` and resolves once the process has exited. */
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

export interface ServiceProcessOptions {
  /** Entry under test/helpers/, e.g. `processor-process.ts`. */
  entry: string
  env: Record<string, string>
  /** A log line containing this marks the service ready (e.g. `"processor consuming"`). */
  ready: string
  readyTimeoutMs?: number
}

/** Starts an entry and resolves once its ready line is logged; killed at the test's end. */
export async function spawnService(
  t: TestContext,
  { entry, env, ready, readyTimeoutMs = 60_000 }: ServiceProcessOptions
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [`test/helpers/${entry}`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env }
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  defer(t, () => kill())
  const output: string[] = []
  // Bounded: a long drill must not keep every log line of its services in memory.
  const keep = (line: string) => {
    output.push(line)
    if (output.length > 2_000) output.splice(0, output.length - 1_000)
  }
  createInterface({ input: child.stderr! }).on('line', keep)
  const lines = createInterface({ input: child.stdout! })
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} not ready in ${readyTimeoutMs} ms:\n${output.join('\n')}`)),
      readyTimeoutMs
    )
    lines.on('line', (line) => {
      keep(line)
      if (line.includes(ready)) {
        clearTimeout(timer)
        resolve(line)
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${entry} exited (${code ?? signal}):\n${output.join('\n')}`))
    })
  })
  return { child, output, readyLine, kill }
}
