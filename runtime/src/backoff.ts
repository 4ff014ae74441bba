/**
 * A delay doubling from `baseDelayMs` at each attempt up to `maxDelayMs`. `base` equal to `max`
 * is a fixed delay.
 */
export interface BackoffPolicy {
  baseDelayMs: number
  maxDelayMs: number
  /**
   * 'equal' (the default): between half and all of the doubling delay. 'none': the doubling
   * delay itself, for a single waiter that has no peers to fall out of step with.
   */
  jitter?: 'equal' | 'none'
}

export interface RetryPolicy extends BackoffPolicy {
  /** Total attempts, the first included. */
  attempts: number
}

/**
 * The wait after failed attempt number `attempt` (1 for the first). Exponential backoff with
 * equal jitter by default: the random half keeps several processors from retrying in lockstep;
 * the fixed half guarantees that the attempts together wait long enough to ride over a store
 * restart (full jitter can add up to almost nothing).
 */
export const backoffDelay = (
  policy: BackoffPolicy,
  attempt: number,
  random = Math.random
): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  if (policy.jitter === 'none') return ceiling
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * The delays of one thing retried over and over (a consumer that would not start, a probe of a
 * server that is away): each `next()` is the wait after one more failure, `reset()` after a
 * success starts again from the base delay.
 */
export function createBackoff(policy: BackoffPolicy, random = Math.random) {
  let failures = 0
  return {
    next: (): number => backoffDelay(policy, ++failures, random),
    reset: (): void => {
      failures = 0
    }
  }
}

/**
 * Runs `operation` until it succeeds, fails with an error `isRetryable` rejects, or attempts run
 * out; the last error is thrown.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  isRetryable: (err: unknown) => boolean,
  onRetry: (err: unknown, attempt: number, delayMs: number) => Promise<void> | void = () => {}
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (err) {
      if (attempt >= policy.attempts || !isRetryable(err)) throw err
      const delay = backoffDelay(policy, attempt)
      await onRetry(err, attempt, delay)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}
