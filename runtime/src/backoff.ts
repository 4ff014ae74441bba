export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
}

/**
 * Exponential backoff with equal jitter: between half and all of the doubling delay. The random
 * half keeps several processors from retrying in lockstep; the fixed half guarantees that the
 * attempts together wait long enough to ride over a store restart (full jitter can add up to
 * almost nothing).
 */
export const backoffDelay = (
  policy: RetryPolicy,
  attempt: number,
  random = Math.random
): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
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
