import type { RequestData, RequestEventType } from '@streaming/contracts'
import type { Logger } from 'pino'
import type { MongoStore } from '../stores/mongodb.ts'
import type { PostgresStore } from '../stores/postgres.ts'
import type { RedisStore } from '../stores/redis.ts'

/** What every handler may use: the repositories, a logger bound to the operation, a clock. */
export interface HandlerContext {
  postgres: PostgresStore
  mongodb: MongoStore
  redis: RedisStore
  log: Logger
  now: () => Date
  /** The request's event_id: lets an effect recognise its own earlier, redelivered attempt. */
  eventId: string
}

/** The outcome of a successful operation: the reply's `message` and `data`. */
export interface HandlerResult {
  message: string
  data: Record<string, unknown>
}

/**
 * One operation: validate what the schema cannot, act on the store, return the result.
 * Permanent failures throw OperationError; retries, replies and commits are not its concern.
 */
export type Handler<T extends RequestEventType> = (
  data: RequestData<T>,
  context: HandlerContext
) => Promise<HandlerResult>

export type HandlerMap = { [T in RequestEventType]: Handler<T> }
