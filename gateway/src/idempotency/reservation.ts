import type { FastifyBaseLogger } from 'fastify'
import { HttpError } from '../errors.ts'
import type { IdempotencyScope } from './fingerprint.ts'
import type { IdempotencyStore } from './store.ts'

type Body = Record<string, unknown> & { correlation_id: string }

/**
 * A request's right to be accepted: either the first 202 of its Idempotency-Key, to be
 * answered again, or `settle`, which accepts it under the key.
 */
export type Reservation<Accepted extends Body> =
  | { replay: Accepted }
  | {
      replay?: undefined
      /**
       * Runs the acceptance: its 202 is kept for replays, or, if it fails, the key is freed so
       * the client may retry.
       */
      settle: (accept: () => Promise<Accepted>) => Promise<Accepted>
    }

const unreserved = { settle: <Accepted>(accept: () => Promise<Accepted>) => accept() }

/**
 * Reserves the Idempotency-Key of a request, if it has one: the first use may be accepted, a
 * repeat of the same request gets the first 202 again, and nothing is accepted for a different
 * request under the same key (422) or while the first one is still being accepted (409).
 */
export async function reserve<Accepted extends Body>(
  store: IdempotencyStore,
  scope: IdempotencyScope | undefined,
  log: FastifyBaseLogger
): Promise<Reservation<Accepted>> {
  if (!scope) return unreserved
  const claim = await store.claim(scope)
  if (claim.outcome === 'replay') return { replay: claim.response as Accepted }
  if (claim.outcome === 'mismatch') {
    throw new HttpError(
      'IDEMPOTENCY_KEY_MISMATCH',
      'Esta Idempotency-Key já foi usada em outra requisição (outro método, caminho ou dados); use uma chave nova para uma requisição nova'
    )
  }
  if (claim.outcome === 'in-flight') {
    throw new HttpError(
      'IDEMPOTENCY_KEY_IN_USE',
      'Uma requisição com esta Idempotency-Key ainda está sendo aceita; tente novamente em instantes',
      { retryAfterSeconds: 1 }
    )
  }
  return {
    async settle(accept) {
      let body: Accepted
      try {
        body = await accept()
      } catch (err) {
        await store.release(scope).catch(() => {})
        throw err
      }
      await store.complete(scope, body).catch((err: unknown) => {
        log.error({ err, correlation_id: body.correlation_id }, 'idempotency key not recorded')
      })
      return body
    }
  }
}
