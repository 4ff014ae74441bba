// Drill: Redis stopped and started again under load. Redis holds the sessions and the content
// cache, the processor's reply log and the gateway's statuses: all of them meet the outage.
import { test } from 'node:test'
import { storeRestartDrill } from '../helpers/drill.ts'

test(
  'Redis restarted mid-load: transient errors retried, every accepted operation finishes',
  { timeout: 360_000 },
  async (t) => {
    await storeRestartDrill(t, {
      server: 'redis',
      users: 500,
      downMs: 2_000
    })
  }
)
