import fp from 'fastify-plugin'
import {
  createIdempotencyStore,
  type IdempotencyStore,
  type IdempotencyStoreOptions
} from '../idempotency/store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    idempotency: IdempotencyStore
  }
}

export type IdempotencyOptions = IdempotencyStoreOptions

/** The Idempotency-Key store, on the gateway's Redis (see idempotency/store.ts). */
export default fp<IdempotencyOptions>(
  async (app, options) => {
    app.decorate('idempotency', createIdempotencyStore(app.redis, options))
  },
  { name: 'idempotency', dependencies: ['redis'] }
)
