// Drill: PostgreSQL stopped and started again under load. Every operation checks its user in
// PostgreSQL, so every one in hand meets the outage: its failures are transient and retried.
import { test } from 'node:test'
import { storeRestartDrill } from '../helpers/drill.ts'

test(
  'PostgreSQL restarted mid-load: transient errors retried, every accepted operation finishes',
  { timeout: 360_000 },
  async (t) => {
    await storeRestartDrill(t, {
      server: 'postgres',
      users: 500,
      downMs: 2_000
    })
  }
)
