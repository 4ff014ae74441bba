// The processor applies many requests at once, yet those about one entity in the order they were
// accepted: a backlog of several users' requests, each user's created first and then paid for
// many times, is applied without one payment arriving before its user or out of its turn.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nextUserId } from '../../gateway/src/fake/index.ts'
import { accept, settle, type Accepted } from '../helpers/http.ts'
import { startPlatform } from '../helpers/platform.ts'

const USERS = 8
const PAYMENTS_PER_USER = 15

test('requests about one user are applied in the order they were accepted', async (t) => {
  // No processor yet: the whole backlog waits in the topic and reaches the processor in large
  // batches, where its requests run concurrently.
  const platform = await startPlatform(t, { processors: 0 })
  const { app, postgres } = platform
  const users = Array.from({ length: USERS }, () => nextUserId())
  const accepted: Accepted[] = []

  // Users in parallel, each user's requests one after the other (accepted in order).
  await Promise.all(
    users.map(async (userId) => {
      accepted.push(await accept(app, 'POST', '/usuarios', { user_id: userId }))
      for (let i = 0; i < PAYMENTS_PER_USER; i++) {
        // The amount records the turn: 20.00, 21.00, …
        const valor = 20 + i
        accepted.push(await accept(app, 'POST', `/usuarios/${userId}/pagamento`, { valor }))
      }
    })
  )

  await platform.startProcessor()
  const results = await Promise.all(accepted.map((operation) => settle(app, operation, 30)))
  const failed = results.filter((result) => result.status !== 'success')
  assert.deepEqual(
    failed.map((result) => result.message),
    [],
    'no payment reached the processor before its user'
  )

  const { rows } = await postgres.query<{ user_id: string; valor: string }>(
    'SELECT user_id, valor FROM pagamentos ORDER BY pagamento_id'
  )
  assert.equal(rows.length, USERS * PAYMENTS_PER_USER)
  for (const userId of users) {
    const amounts = rows
      .filter((row) => Number(row.user_id) === userId)
      .map((row) => Number(row.valor))
    assert.deepEqual(
      amounts,
      Array.from({ length: PAYMENTS_PER_USER }, (_, i) => 20 + i),
      `payments of user ${userId} in the order they were accepted`
    )
  }
  // Different users did interleave: the processor did not just run everything one by one.
  const firstUserRows = rows.map((row) => Number(row.user_id) === users[0])
  const interleaved = firstUserRows.some((mine, i) => i > 0 && mine !== firstUserRows[i - 1])
  t.diagnostic(
    `${rows.length} payments of ${USERS} users, each user's in order; interleaved: ${interleaved}`
  )
})
