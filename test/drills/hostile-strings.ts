// Strings that try to become code in a store: SQL, MongoDB query operators, the Redis protocol,
// and a few for the places around them (logs, HTML, shells). The drills send them as invalid
// input (expecting a 400) and as valid free text (expecting them stored literally).

export const sqlInjections = [
  "'; DROP TABLE usuarios; --",
  "Robert'); DELETE FROM pagamentos; --",
  "' OR '1'='1",
  '1; TRUNCATE assinaturas CASCADE',
  "x' UNION SELECT cpf, email FROM usuarios --",
  "'); UPDATE usuarios SET nome = 'pwned' WHERE ('1'='1",
  '$$; DROP TABLE preferencias; $$',
  '\\x27; SELECT pg_sleep(10); --'
] as const

export const noSqlInjections = [
  '{"$gt": ""}',
  '{"$ne": null}',
  '$where',
  'this.user_id == 1 || sleep(1000)',
  '{"$where": "function () { return true }"}',
  '{"$regex": ".*"}',
  '$set'
] as const

export const redisInjections = [
  '\r\nFLUSHALL\r\n',
  '*1\r\n$8\r\nFLUSHALL\r\n',
  'x\r\nDEL status:*\r\n',
  'EVAL "redis.call(\'flushall\')" 0'
] as const

export const otherInjections = [
  '<script>alert(1)</script>',
  // eslint-disable-next-line no-template-curly-in-string -- the text itself is the point
  '${jndi:ldap://127.0.0.1/a}',
  '$(rm -rf /)',
  '../../../../etc/passwd',
  '{{7*7}}',
  '%s%s%s%n'
] as const

export const hostileStrings: readonly string[] = [
  ...sqlInjections,
  ...noSqlInjections,
  ...redisInjections,
  ...otherInjections
]
