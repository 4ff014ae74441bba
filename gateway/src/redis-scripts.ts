import type { Redis } from 'ioredis'

/** What `cancelPendingOperation` found: the operation's fate, with its status record as JSON. */
export type CancelOutcome = 'unknown' | 'cancelled' | 'started' | 'finished'

/** The gateway's Lua scripts, as commands of its Redis client (ioredis `defineCommand`). */
export interface GatewayScripts {
  /**
   * Cancels a pending operation unless the processor claimed it first. The claim key is set
   * once, by whichever side comes first (the processor sets it in one command before it applies
   * an operation), so exactly one of them wins. The status turns `cancelled` at once, and
   * waiters on `?wait` are told; the processor's own `cancelled` reply follows when it reaches
   * the request. Answers the outcome and the status record it leaves (`''` for `unknown`).
   */
  cancelPendingOperation(
    statusKey: string,
    claimKey: string,
    statusChannel: string,
    cancelledClaim: string,
    claimSeconds: string,
    message: string,
    completedAt: string,
    correlationId: string
  ): Promise<[CancelOutcome, string]>
  /** Deletes a status record only while it is pending: a reply recorded meanwhile stays. */
  forgetPendingStatus(statusKey: string): Promise<number>
}

/** A Redis client with the gateway's scripts defined on it. */
export type ScriptedRedis = Redis & GatewayScripts

const scripts: Record<keyof GatewayScripts, { numberOfKeys: number; lua: string }> = {
  cancelPendingOperation: {
    numberOfKeys: 3,
    lua: `
local current = redis.call('GET', KEYS[1])
if not current then return {'unknown', ''} end
local record = cjson.decode(current)
if record.status ~= 'pending' then return {'finished', current} end
local claimed = redis.call('SET', KEYS[2], ARGV[1], 'NX', 'GET', 'EX', ARGV[2])
if claimed and claimed ~= ARGV[1] then return {'started', current} end
record.status = ARGV[1]
record.message = ARGV[3]
record.completed_at = ARGV[4]
local updated = cjson.encode(record)
redis.call('SET', KEYS[1], updated, 'KEEPTTL')
redis.call('PUBLISH', KEYS[3], ARGV[5])
return {'cancelled', updated}
`
  },
  forgetPendingStatus: {
    numberOfKeys: 1,
    lua: `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).status == 'pending' then redis.call('DEL', KEYS[1]) end
return 0
`
  }
}

/**
 * Defines the gateway's scripts on a client, once: each call then sends the script's digest
 * (EVALSHA), its text only the first time on a connection.
 */
export function withGatewayScripts(redis: Redis): ScriptedRedis {
  for (const [name, definition] of Object.entries(scripts)) redis.defineCommand(name, definition)
  return redis as ScriptedRedis
}
