import { fileURLToPath } from 'node:url'
import { runner } from 'node-pg-migrate'
import type pg from 'pg'

/**
 * processor/migrations: numbered `.sql` files (`0002_what_changes.sql`), applied in the order of
 * their number, each once. The names applied are kept in the table `pgmigrations` of the
 * database, which is also where the node-pg-migrate command line looks.
 */
export const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url))

// The runner narrates every step on the console; the processor logs what matters itself, and a
// failure reaches it as the thrown error.
const quiet = { info: () => {}, warn: () => {}, error: () => {} }

/**
 * Applies the pending migrations of `dir`, all in one transaction; returns the names applied.
 * Safe at every start and from several processors at once: each waits for the others' advisory
 * lock, then finds nothing left to do.
 */
export async function migratePostgres(pool: pg.Pool, dir = migrationsDir): Promise<string[]> {
  const client = await pool.connect()
  try {
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      singleTransaction: true,
      advisoryLockMode: 'wait',
      logger: quiet
    })
    return applied.map((migration) => migration.name)
  } finally {
    // The lock is the session's: a connection that failed before unlocking must not go back
    // to the pool still holding it, so this one is closed rather than reused.
    client.release(true)
  }
}
