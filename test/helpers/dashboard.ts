// What the dashboard's browser tests share: the page's address and the platform behind it.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('../..', import.meta.url))
const execFileAsync = promisify(execFile)

export const dashboardHost = process.env.DASHBOARD_HOST ?? '127.0.0.1'
export const dashboardUrl = `http://${dashboardHost}:${process.env.DASHBOARD_PORT ?? '8089'}/`

/** A cold start installs and starts every server (Elasticsearch and Kafka take the longest). */
export const UP_TIMEOUT_MS = Number(process.env.PLATFORM_UP_TIMEOUT_MS ?? 600_000)

/**
 * `platform.sh up` is idempotent: quick when everything already runs. With STACK_AUTO_UP=0 the
 * platform was started another way (`docker compose up -d`, or a checkout's own `npm run up`) and
 * is only expected to answer: nothing is started from this checkout.
 */
export async function platformUp(): Promise<void> {
  if (process.env.STACK_AUTO_UP === '0') {
    const answer = await fetch(dashboardUrl, { signal: AbortSignal.timeout(5_000) }).catch(
      (err: unknown) => err as Error
    )
    assert.ok(
      !(answer instanceof Error) && answer.ok,
      `STACK_AUTO_UP=0: the platform is expected to run already, but ${dashboardUrl} does not answer` +
        (answer instanceof Error ? ` (${answer.message})` : ` (HTTP ${answer.status})`)
    )
    return
  }
  try {
    await execFileAsync('bash', ['scripts/platform.sh', 'up'], {
      cwd: root,
      timeout: UP_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024
    })
  } catch (err) {
    const { stderr, killed } = err as { stderr?: string; killed?: boolean }
    const tail = (stderr ?? '').trim().split('\n').slice(-30).join('\n')
    assert.fail(
      `bash scripts/platform.sh up ${killed ? `did not finish within ${UP_TIMEOUT_MS / 1000} s` : 'failed'}:\n${tail}`
    )
  }
}
