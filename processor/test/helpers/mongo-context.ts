// A database of the test's own on the real MongoDB (FerretDB in the native stack), dropped when
// the test ends, so tests run side by side (and after failed runs) without meeting.
import type { TestContext } from 'node:test'
import type { Db } from 'mongodb'
import { defer } from '../../../test/helpers/cleanup.ts'
import { connectMongo, uniqueName } from '../../../test/helpers/servers.ts'
import type { HandlerContext } from '../../src/handlers/types.ts'
import { createMongoStore, ensureMongoIndexes, type MongoStore } from '../../src/stores/mongodb.ts'
import { handlerContext } from './handler-context.ts'

/** A fresh database; with the service's indexes when `indexes` is set. */
export async function mongoDatabase(t: TestContext, { indexes = false } = {}): Promise<Db> {
  const client = await connectMongo(t)
  const db = client.db(uniqueName('test'))
  defer(t, () => db.dropDatabase())
  if (indexes) await ensureMongoIndexes(db)
  return db
}

export interface MongoContext {
  db: Db
  mongodb: MongoStore
  /** A new handler context on every call, for the event `eventId` (a new one if none). */
  context: (eventId?: string) => HandlerContext
}

/** A store over `mongoDatabase` and handler contexts over it that all read `now`. */
export async function mongoContext(
  t: TestContext,
  { now, indexes = false }: { now: () => Date; indexes?: boolean }
): Promise<MongoContext> {
  const db = await mongoDatabase(t, { indexes })
  const mongodb = createMongoStore(db)
  const context = (eventId?: string) => handlerContext({ mongodb }, now, eventId)
  return { db, mongodb, context }
}
