// The migrations on a real server (a database of the test's own each): several processors
// starting at once, a database the processor set up before migrations were numbered upgrading
// with its rows kept, a later migration applied once, and a failing batch leaving nothing behind.
// postgres-migrations.test.ts tests the runner's statements without a server.
import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type pg from 'pg'
import { createPostgresPool } from '../../../test/helpers/platform.ts'
import { migratePostgres, migrationsDir } from '../../src/stores/postgres-migrations.ts'

const first = '0001_initial_schema'

async function tables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
     ORDER BY table_name`
  )
  return rows.map((row) => row.table_name)
}

async function applied(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id')
  return rows.map((row) => row.name)
}

/** A migrations folder: the project's own files plus `extra` ({ file name: SQL }). */
function migrationsWith(t: TestContext, extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  copyFileSync(join(migrationsDir, `${first}.sql`), join(dir, `${first}.sql`))
  for (const [file, sql] of Object.entries(extra)) writeFileSync(join(dir, file), sql)
  return dir
}

test('several processors at once, and again at every start: each migration applied once', async (t) => {
  const pool = await createPostgresPool(t)
  const runs = await Promise.all([
    migratePostgres(pool),
    migratePostgres(pool),
    migratePostgres(pool)
  ])
  // The lock lets one of them apply it; the others then find it applied.
  assert.deepEqual(runs.map((names) => names.join()).sort(), ['', '', first])
  assert.deepEqual(await migratePostgres(pool), [])
  assert.deepEqual(await tables(pool), [
    'assinaturas',
    'pagamentos',
    'pgmigrations',
    'preferencias',
    'usuarios'
  ])
  assert.deepEqual(await applied(pool), [first])
})

test('a database set up before migrations were numbered upgrades, its rows kept', async (t) => {
  const pool = await createPostgresPool(t)
  // Before, the processor ran this same DDL at each start and recorded nothing.
  await pool.query(readFileSync(join(migrationsDir, `${first}.sql`), 'utf8'))
  await pool.query(
    `INSERT INTO usuarios (user_id, nome, email, cpf, data_criacao, event_id)
     VALUES (42, 'Ana Souza', 'ana@example.com', '52998224725', now(), gen_random_uuid())`
  )

  assert.deepEqual(await migratePostgres(pool), [first])
  assert.deepEqual(await applied(pool), [first])
  const { rows } = await pool.query('SELECT user_id FROM usuarios')
  assert.deepEqual(rows, [{ user_id: '42' }])
  assert.deepEqual(await migratePostgres(pool), [], 'and nothing at the next start')
})

test('a later migration is applied once, after those before it', async (t) => {
  const pool = await createPostgresPool(t)
  assert.deepEqual(await migratePostgres(pool), [first])

  const dir = migrationsWith(t, {
    '0002_usuarios_apelido.sql': 'ALTER TABLE usuarios ADD COLUMN apelido TEXT;\n'
  })
  assert.deepEqual(await migratePostgres(pool, dir), ['0002_usuarios_apelido'])
  assert.deepEqual(await migratePostgres(pool, dir), [])
  assert.deepEqual(await applied(pool), [first, '0002_usuarios_apelido'])
  const { rowCount } = await pool.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'usuarios' AND column_name = 'apelido'`
  )
  assert.equal(rowCount, 1)
})

test('a failing migration takes the whole batch back: nothing applied, nothing recorded', async (t) => {
  const pool = await createPostgresPool(t)
  const dir = migrationsWith(t, {
    '0002_usuarios_apelido.sql': 'ALTER TABLE usuarios ADD COLUMN apelido TEXT;\n',
    '0003_broken.sql': 'ALTER TABLE nosuch ADD COLUMN x TEXT;\n'
  })
  await assert.rejects(migratePostgres(pool, dir), { code: '42P01' })
  assert.deepEqual(await applied(pool), [])
  assert.deepEqual(await tables(pool), ['pgmigrations'])

  // The lock went with the failure: the next start is not kept waiting.
  assert.deepEqual(await migratePostgres(pool), [first])
})
