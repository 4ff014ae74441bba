// The migration runner with a scripted connection in place of the server (no server): the lock
// taken before anything is read, the pending files applied and recorded in one transaction,
// nothing applied twice, a failure rolled back and thrown, the connection closed in every case;
// and the first migration's tolerance of a database set up before migrations were numbered.
// postgres-migrations.integration.test.ts runs the same on a real PostgreSQL.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type pg from 'pg'
import { migratePostgres, migrationsDir } from '../../src/stores/postgres-migrations.ts'

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

interface Script {
  /** Names the table of applied migrations already holds. */
  applied?: string[]
  /** A statement matching `on` throws `err`. */
  fail?: { on: RegExp; err: Error }
}

/** A pool whose one connection answers what the runner asks, recording each statement. */
function scriptedPool({ applied = [], fail }: Script = {}) {
  const statements: string[] = []
  const releases: unknown[] = []
  const client = {
    query: async (text: string) => {
      statements.push(oneLine(text))
      if (fail && fail.on.test(text)) throw fail.err
      if (/FROM information_schema.tables/.test(text)) {
        return { rows: applied.length > 0 ? [{ table_name: 'pgmigrations' }] : [] }
      }
      if (/FROM information_schema.table_constraints/.test(text)) {
        return { rows: [{ constraint_name: 'pgmigrations_pkey' }] }
      }
      if (/^SELECT name FROM/.test(text)) return { rows: applied.map((name) => ({ name })) }
      if (/pg_advisory_unlock/.test(text)) return { rows: [{ lockReleased: true }] }
      return { rows: [] }
    },
    release: (destroy?: unknown) => {
      releases.push(destroy)
    }
  }
  const pool = { connect: async () => client } as unknown as pg.Pool
  const indexOf = (pattern: RegExp) => statements.findIndex((text) => pattern.test(text))
  return { pool, statements, releases, indexOf }
}

test('a new database: every file applied and recorded in one transaction, under the lock', async () => {
  const { pool, statements, releases, indexOf } = scriptedPool()
  assert.deepEqual(await migratePostgres(pool), ['0001_initial_schema'])

  assert.match(statements[0]!, /^SELECT pg_advisory_lock\(\d+\)$/, 'the lock before anything')
  assert.match(statements.at(-1)!, /^SELECT pg_advisory_unlock\(\d+\)/, 'released at the end')
  const begin = indexOf(/^BEGIN$/)
  const schema = indexOf(/^-- The processor's tables.*CREATE TABLE IF NOT EXISTS usuarios/)
  const recorded = indexOf(/^INSERT INTO "public"."pgmigrations" .*'0001_initial_schema'/)
  const commit = indexOf(/^COMMIT$/)
  assert.ok(
    begin > 0 && begin < schema && schema < recorded && recorded < commit,
    statements.join('\n')
  )
  assert.ok(indexOf(/^CREATE TABLE "public"."pgmigrations"/) < begin, 'the table of applied ones')
  assert.deepEqual(releases, [true], 'the connection closed, not returned to the pool')
})

test('every file applied already: nothing runs, no transaction is opened', async () => {
  const { pool, releases, indexOf } = scriptedPool({ applied: ['0001_initial_schema'] })
  assert.deepEqual(await migratePostgres(pool), [])
  assert.equal(indexOf(/^BEGIN$/), -1)
  assert.equal(indexOf(/CREATE TABLE/), -1)
  assert.deepEqual(releases, [true])
})

test('a failing migration is rolled back and thrown as the server said it; the lock released', async () => {
  const err = Object.assign(new Error('permission denied for schema public'), { code: '42501' })
  const { pool, statements, releases, indexOf } = scriptedPool({
    fail: { on: /CREATE TABLE IF NOT EXISTS usuarios/, err }
  })
  await assert.rejects(migratePostgres(pool), (thrown) => thrown === err)
  assert.equal(indexOf(/^INSERT INTO "public"."pgmigrations"/), -1, 'not recorded as applied')
  assert.ok(indexOf(/^ROLLBACK$/) > indexOf(/^BEGIN$/))
  assert.match(statements.at(-1)!, /^SELECT pg_advisory_unlock/)
  assert.deepEqual(releases, [true])
})

test('the migrations are numbered files; the first one creates only what is not there yet', () => {
  const files = readdirSync(migrationsDir)
  assert.ok(files.length > 0)
  for (const file of files) assert.match(file, /^\d{4}_[a-z0-9_]+\.sql$/)
  assert.ok(files.includes('0001_initial_schema.sql'))

  // A database the processor set up before migrations were numbered has every one of these.
  const first = readFileSync(join(migrationsDir, '0001_initial_schema.sql'), 'utf8')
  const creates = first.match(/^CREATE\b.*$/gm) ?? []
  assert.equal(creates.length, 7, 'four tables, three indexes')
  for (const statement of creates) assert.match(statement, /\bIF NOT EXISTS\b/, statement)
})
