import closeWithGrace from 'close-with-grace'
import type { Logger } from 'pino'

/** Rejects with "no answer within N ms" when `promise` takes longer; the timer never outlives it. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** One line of a /health body: 'ok', or why the dependency did not answer within the bound. */
export async function checkDependency(
  call: () => Promise<unknown>,
  timeoutMs = 2_000,
  describe: (err: unknown) => string = errorText
): Promise<string> {
  try {
    await withTimeout(call(), timeoutMs)
    return 'ok'
  } catch (err) {
    return describe(err)
  }
}

/**
 * A `/health` answer from the checks' results: 200 `ok` when every check in `required` (all of
 * them unless told) is 'ok', otherwise 503 `unavailable` with those failing named. `details`
 * are the service's own fields, beside `status` and `service`.
 */
export function healthReport(
  service: string,
  checks: Record<string, string>,
  details: Record<string, unknown> = {},
  required: readonly string[] = Object.keys(checks)
) {
  const failing = required.filter((name) => checks[name] !== 'ok')
  const ok = failing.length === 0
  const statusCode: 200 | 503 = ok ? 200 : 503
  return {
    statusCode,
    body: {
      status: ok ? 'ok' : 'unavailable',
      service,
      ...details,
      checks,
      ...(ok ? {} : { failing })
    }
  }
}

/**
 * Every event close-with-grace would otherwise act on, but SIGTERM and SIGINT: the rest keep
 * Node's defaults (an uncaught error crashes at once with its stack, SIGHUP ends the process).
 */
const leftToNode: closeWithGrace.AllEvents[] = [
  'SIGHUP',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGSEGV',
  'SIGUSR2',
  'uncaughtException',
  'unhandledRejection',
  'beforeExit'
]

/**
 * Closes the service once on SIGTERM or SIGINT and exits: 0 when `close` finished, 1 when it
 * failed, took longer than `forceAfterMs` or a second signal came first.
 */
export function closeOnSignals(
  log: Logger,
  close: () => Promise<void>,
  forceAfterMs = 30_000
): void {
  closeWithGrace(
    {
      delay: forceAfterMs,
      // Every line below goes through the service's logger; the library's own would be plain text.
      logger: false,
      skip: leftToNode,
      onTimeout: () => log.error(`shutdown took longer than ${forceAfterMs / 1000} s; exiting`),
      onSecondSignal: (signal) => log.error({ signal }, 'signal while shutting down; exiting')
    },
    async ({ signal }) => {
      log.info({ signal }, 'shutting down')
      try {
        await close()
      } catch (err) {
        log.error({ err }, 'shutdown failed')
        throw err
      }
      log.info('stopped')
    }
  )
}
