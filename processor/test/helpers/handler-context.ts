// What a handler test hands to the handler: the stores it names, stubs for the others (a
// handler that reaches one fails loudly), a silent logger and a clock the test controls.
import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import type { HandlerContext } from '../../src/handlers/types.ts'

type Stores = Partial<Pick<HandlerContext, 'postgres' | 'mongodb' | 'redis'>>

/** A handler context over `stores`, reading `now`, for the event `eventId` (a new one if none). */
export function handlerContext(
  stores: Stores,
  now: () => Date,
  eventId: string = randomUUID()
): HandlerContext {
  return {
    postgres: {} as never,
    mongodb: {} as never,
    redis: {} as never,
    ...stores,
    log: pino({ level: 'silent' }),
    now,
    eventId
  }
}

/** A clock that moves `stepMs` on at every read, from `start`: the first read is one step on. */
export function tickingClock(start: string, stepMs: number): () => Date {
  let clock = Date.parse(start)
  return () => new Date((clock += stepMs))
}
