import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createPostgresDatabase } from '../helpers/servers.ts'

test('PostgreSQL: tables, constraints and queries on a real server', async (t) => {
  const db = await createPostgresDatabase(t)
  const {
    rows: [version]
  } = await db.query<{ server_version_num: string }>('SHOW server_version_num')
  assert.ok(Number(version?.server_version_num) >= 130000, 'PostgreSQL 13 or newer')

  await db.query(`CREATE TABLE usuarios (
    user_id BIGINT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    criado_em TIMESTAMPTZ NOT NULL DEFAULT now()
  )`)
  await db.query('INSERT INTO usuarios (user_id, email) VALUES ($1, $2), ($3, $4)', [
    1,
    'a@example.com',
    2,
    'b@example.com'
  ])
  const { rows } = await db.query<{ user_id: string }>(
    'SELECT user_id FROM usuarios ORDER BY user_id DESC'
  )
  assert.deepEqual(
    rows.map((row) => Number(row.user_id)),
    [2, 1]
  )

  await assert.rejects(
    db.query('INSERT INTO usuarios (user_id, email) VALUES ($1, $2)', [3, 'a@example.com']),
    (err: { code?: string }) => err.code === '23505'
  )

  const {
    rows: [upserted]
  } = await db.query<{ email: string }>(
    `INSERT INTO usuarios (user_id, email) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email RETURNING email`,
    [1, 'c@example.com']
  )
  assert.equal(upserted?.email, 'c@example.com')
})
