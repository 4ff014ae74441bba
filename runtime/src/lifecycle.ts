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
 * Closes the service once on SIGTERM or SIGINT and exits: 0 when `close` finished, 1 when it
 * failed or took longer than `forceAfterMs`.
 */
export function closeOnSignals(
  log: Logger,
  close: () => Promise<void>,
  forceAfterMs = 30_000
): void {
  let closing = false
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    setTimeout(() => {
      log.error(`shutdown took longer than ${forceAfterMs / 1000} s; exiting`)
      process.exit(1)
    }, forceAfterMs).unref()
    try {
      await close()
      log.info('stopped')
      process.exit(0)
    } catch (err) {
      log.error({ err }, 'shutdown failed')
      process.exit(1)
    }
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch(() => process.exit(1))
    })
  }
}
