import type { Redis } from 'ioredis'

// Writes that depend on what is stored cannot branch inside MULTI, so they run as scripts:
// equally atomic, and the session hash and its index entry are always written together.
// Both take KEYS: session hash, user index; ARGV: ttl, score, session id, field/value pairs.

// Shared tail: renew the hash's expiry, index the session, never shorten the index's life.
const renewAndIndex = `
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if redis.call('TTL', KEYS[2]) < tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end`

// Creates the session only when its id is new: a redelivered criar_sessao neither duplicates
// nor revives it.
const createSession = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
${renewAndIndex}
return {1, redis.call('HGETALL', KEYS[1])}`

// Sets fields of a session that is still active; returns the hash as it then is: empty when
// the session is unknown or expired, unchanged when it was ended.
const updateActiveSession = (activeStatus: string) => `
if redis.call('HGET', KEYS[1], 'status') ~= '${activeStatus}' then
  return redis.call('HGETALL', KEYS[1])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
${renewAndIndex}
return redis.call('HGETALL', KEYS[1])`

type SessionScriptArgs = [
  sessionKey: string,
  userIndexKey: string,
  ttlSeconds: number,
  score: number,
  sessionId: string,
  ...fieldsAndValues: Array<string | number>
]

export interface SessionScripts {
  /** `created` 1 when the session was written, 0 when it existed; the hash as field/value pairs. */
  createSession(...args: SessionScriptArgs): Promise<[created: number, pairs: string[]]>
  /** The hash as field/value pairs after the update; empty when there is no such session. */
  updateActiveSession(...args: SessionScriptArgs): Promise<string[]>
}

/**
 * Defines the session scripts on the client as commands of their own: ioredis sends a script's
 * text once per connection, then only its SHA1 (EVALSHA), and again by itself after a NOSCRIPT.
 */
export function defineSessionScripts(redis: Redis, activeStatus: string): SessionScripts {
  redis.defineCommand('createSession', { numberOfKeys: 2, lua: createSession })
  redis.defineCommand('updateActiveSession', {
    numberOfKeys: 2,
    lua: updateActiveSession(activeStatus)
  })
  // defineCommand adds the methods at run time; this is their shape.
  const commands = redis as Redis & SessionScripts
  return {
    createSession: (...args) => commands.createSession(...args),
    updateActiveSession: (...args) => commands.updateActiveSession(...args)
  }
}
