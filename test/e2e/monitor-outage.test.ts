// Stops the shared Elasticsearch server for a while (and always starts it again): run alone.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { defer } from '../helpers/cleanup.ts'
import { succeed, type Accepted } from '../helpers/http.ts'
import {
  allDocuments,
  countDocuments,
  groupBy,
  health,
  startMonitor,
  waitFor
} from '../helpers/monitor.ts'
import { startPlatform } from '../helpers/platform.ts'

const root = new URL('../..', import.meta.url).pathname
const run = promisify(execFile)

async function stack(command: 'start' | 'stop', timeoutMs: number): Promise<void> {
  await run('bash', ['stack/stack.sh', command, 'elasticsearch'], { cwd: root, timeout: timeoutMs })
}

const lines = async (file: string) =>
  (await readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0).length

test('Elasticsearch stopped mid-run: file fallback, nothing else affected; replayed exactly once it is back', async (t) => {
  const { app, kafka, topics } = await startPlatform(t)
  const { es, names, monitor, file } = await startMonitor(t, kafka, topics, {
    MONITOR_ES_TIMEOUT_MS: '3000',
    MONITOR_PROBE_BASE_MS: '500',
    MONITOR_PROBE_MAX_MS: '2000'
  })
  const accepted: Accepted[] = []
  const created = await succeed(app, 'POST', '/usuarios')
  accepted.push(created.accepted)
  const userId = (created.accepted.usuario as { user_id: number }).user_id
  for (const tipo of ['filme', 'série']) {
    accepted.push(
      (await succeed(app, 'POST', '/historico-visualizacao', { user_id: userId, tipo })).accepted
    )
  }
  await waitFor(
    'before the outage',
    () => countDocuments(es, names.aliases.all),
    (n) => n === 6
  )

  // Whatever happens below, Elasticsearch is started again (before the indices are deleted).
  defer(t, () => stack('start', 300_000))
  await stack('stop', 90_000)

  // The gateway and the processor do not depend on Elasticsearch: operations still succeed.
  const spooled: number[] = []
  for (const path of ['assinatura', 'pagamento', 'config']) {
    accepted.push((await succeed(app, 'POST', `/usuarios/${userId}/${path}`)).accepted)
    const { body } = await waitFor(
      `${path}: request and reply in the file`,
      () => health(monitor),
      ({ body }) => body.spooled >= spooled.length * 2 + 2,
      20_000
    )
    spooled.push(body.spooled)
  }
  accepted.push((await succeed(app, 'GET', `/recomendacoes/${userId}`)).accepted)
  accepted.push((await succeed(app, 'POST', '/sessoes', { user_id: userId })).accepted)

  const during = await waitFor(
    'every event of the outage in the file',
    () => health(monitor),
    ({ body }) => body.spooled === 10,
    20_000
  )
  assert.equal(during.code, 200, 'the monitor stays healthy in fallback mode')
  assert.equal(during.body.mode, 'fallback')
  assert.equal(during.body.checks.kafka, 'ok')
  assert.notEqual(during.body.checks.elasticsearch, 'ok')
  assert.deepEqual(spooled, [2, 4, 6], 'the file grows with every event')
  assert.equal(await lines(file), 10)
  const metrics = (await monitor.health.inject({ url: '/metrics' })).body
  assert.match(metrics, /monitor_mode\{mode="fallback"\} 1/)
  assert.match(metrics, /monitor_spooled_documents 10/)
  const recent = await monitor.health.inject({ url: '/transactions/recent' })
  assert.equal(recent.statusCode, 503)
  assert.match(recent.json<{ message: string }>().message, /Elasticsearch indisponível/)

  await stack('start', 300_000)
  const after = await waitFor(
    'file replayed',
    () => health(monitor),
    ({ body }) => body.mode === 'elasticsearch' && body.spooled === 0,
    60_000
  )
  assert.equal(after.code, 200)
  assert.equal(await lines(file), 0, 'the file is cleared')
  assert.match(
    (await monitor.health.inject({ url: '/metrics' })).body,
    /monitor_replayed_documents_total 10/
  )

  // And one more operation indexes directly again.
  accepted.push((await succeed(app, 'POST', `/usuarios/${userId}/config`)).accepted)
  const expected = accepted.length * 2
  await waitFor(
    'every event indexed',
    () => countDocuments(es, names.aliases.all),
    (n) => n >= expected
  )
  const docs = await allDocuments(es, names.aliases.all)
  assert.equal(docs.length, expected, 'no event lost, none twice')
  assert.equal(new Set(docs.map((d) => d.id)).size, expected)
  const byTransaction = groupBy(docs, (d) => d.doc.transaction_id)
  for (const { correlation_id: id } of accepted) {
    assert.deepEqual(
      (byTransaction.get(id) ?? []).map((d) => d.doc.topic).sort(),
      [topics.requests, topics.responses].sort(),
      `${id}: one request and one reply document`
    )
  }
  assert.equal((await health(monitor)).body.mode, 'elasticsearch')
})
