/**
 * Redis answers that mean "not now" rather than "never": out of memory under `noeviction`
 * (OOM), a dataset still loading, a busy script, a replica that cannot write. A write refused
 * for one of these may succeed once Redis has room or is ready again, so both services treat it
 * like a lost connection: the processor retries with backoff, the gateway answers 503.
 */
const notNow = /^(OOM|LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|MISCONF|CLUSTERDOWN)\b/

export function isRedisRefusingForNow(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError' && notNow.test(err.message)
}

/** A Redis failure of the connection itself: refused, lost, no answer within the retries or the command timeout. */
export function isRedisUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    /Connection is closed|Stream isn't writeable|^Command timed out$/.test(err.message)
  )
}
