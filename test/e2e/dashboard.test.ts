// The dashboard in a real browser: the native platform (`scripts/platform.sh up`, nginx included)
// and Debian's Chromium driven by playwright-core. Loads the page through nginx, sees the three
// services healthy, runs "Criar usuário de teste" to success and finds the operation in the
// recent transactions. Everything the page shows is Portuguese: statuses are shown translated
// (pendente, sucesso, erro, cancelado) with the wire value kept in data-status. Leaves a
// screenshot in test-results/dashboard.png. Then, against a gateway with API_KEYS, the page's key
// field: refused without the key, kept and sent once entered. Last, the trace of one transaction
// (opened by a click, Enter or Space on its row, by the button's result, by the search) checked
// against the monitor's own answer, a failed operation's reason, the search by user id, and the
// page at 390 px wide; screenshots dashboard-trace.png, dashboard-trace-error.png,
// dashboard-search.png, dashboard-mobile.png and dashboard-mobile-trace.png.
import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { desktop, launchBrowser, scrollWidth, watchProblems } from '../helpers/browser.ts'
import { dashboardHost, dashboardUrl, platformUp, UP_TIMEOUT_MS } from '../helpers/dashboard.ts'
import { waitFor } from '../helpers/monitor.ts'
import { startPlatform } from '../helpers/platform.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const results = join(root, 'test-results')
const SERVICES = ['gateway', 'processor', 'monitor']

/** Text of one element, trimmed. */
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim()

/** What the page shows for each wire status. */
const STATUS_LABELS = {
  pending: 'pendente',
  success: 'sucesso',
  error: 'erro',
  cancelled: 'cancelado'
}

/** The wire status values, as whole words: a person never reads them on the page. */
const WIRE_STATUS_WORDS = /\b(pending|success|error|cancelled|unavailable|fallback)\b/i

/** A time as the page writes it: "8 ms", "1,25 s". */
const LATENCY = /^\d[\d.,]* (ms|s)$/

const rowSelector = (correlationId: string) => `#tx-body tr[data-correlation-id="${correlationId}"]`

test(
  'the dashboard shows the services healthy and runs an operation to success',
  { timeout: UP_TIMEOUT_MS + 180_000 },
  async (t) => {
    await platformUp()
    await mkdir(results, { recursive: true })

    const browser = await launchBrowser(t)
    const context = await browser.newContext(desktop)
    const page = await context.newPage()
    // Script errors and Content-Security-Policy violations surface here.
    const problems: string[] = []
    watchProblems(page, problems)

    try {
      const response = await page.goto(dashboardUrl, { waitUntil: 'load' })
      assert.equal(response?.status(), 200, `GET ${dashboardUrl}`)
      assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/)
      assert.equal(await page.title(), 'Painel · Plataforma de Streaming')

      // Every UI link is built from the page's own host, on that UI's port.
      const anchors = await page.locator('a[data-port]').all()
      const links = await Promise.all(
        anchors.map(async (anchor) => (await anchor.getAttribute('href')) ?? '')
      )
      assert.deepEqual(
        links.map((href) => new URL(href).port),
        ['8000', '8080', '8081', '8082', '8083', '5601', '9200']
      )
      for (const href of links) assert.equal(new URL(href).hostname, dashboardHost, href)
      assert.equal(links[0], `http://${dashboardHost}:8000/docs`)

      // The three tiles turn healthy (the first refresh runs at load).
      for (const service of SERVICES) {
        const tile = page.locator(`.tile[data-service="${service}"]`)
        await page
          .locator(`.tile[data-service="${service}"][data-state="ok"]`)
          .waitFor({ timeout: 15_000 })
        assert.equal(await text(page, `.tile[data-service="${service}"] .badge`), 'saudável')
        assert.equal(
          await tile.locator('.checks [data-state="failing"]').count(),
          0,
          `${service} shows a failing dependency`
        )
        assert.ok((await tile.locator('.checks > div').count()) >= 2, `${service} lists its checks`)
        for (const check of await tile.locator('.checks > div[data-check] dd').allTextContents()) {
          assert.equal(check.trim(), 'respondendo', `${service}: a healthy dependency's text`)
        }
      }
      const monitorRows = await page
        .locator('.tile[data-service="monitor"] .checks > div')
        .allTextContents()
      assert.ok(
        monitorRows.some((row) => /^modo(Elasticsearch|arquivo reserva)$/.test(row.trim())),
        `monitor mode shown: ${monitorRows.join(' | ')}`
      )
      assert.ok(
        monitorRows.some((row) => /^no arquivo reserva\d+$/.test(row.trim())),
        `monitor spool shown: ${monitorRows.join(' | ')}`
      )

      // The button's operation: accepted as pending, then its reply (within the ?wait=10).
      const button = page.getByRole('button', { name: 'Criar usuário de teste' })
      await button.click()
      await page
        .locator('#run-status[data-status="success"], #run-status[data-status="error"]')
        .waitFor({ timeout: 30_000 })
      const message = await text(page, '#run-message')
      assert.equal(
        await page.locator('#run-status').getAttribute('data-status'),
        'success',
        `operation failed: ${message}`
      )
      assert.equal(await text(page, '#run-status'), STATUS_LABELS.success)
      assert.match(message, /^Usuário \d+ criado/)
      assert.match(await text(page, '#run-user'), /ID do usuário \d+$/)
      // The trail keeps every status the page saw, so the move from pending shows even when
      // the reply took milliseconds; each step shows the status translated.
      const trail = await page.locator('#run-trail li').all()
      const statuses = await Promise.all(trail.map((item) => item.getAttribute('data-status')))
      assert.deepEqual(statuses, ['pending', 'success'])
      const shown = await page.locator('#run-trail li .badge').allTextContents()
      assert.deepEqual(
        shown.map((label) => label.trim()),
        [STATUS_LABELS.pending, STATUS_LABELS.success]
      )
      const correlationId = await text(page, '#run-id')
      assert.match(correlationId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.equal(await page.locator('#run-result').getAttribute('aria-live'), 'polite')
      assert.equal(await button.isEnabled(), true)

      // The monitor indexes the reply; the table lists it within a few refreshes.
      const row = page.locator(rowSelector(correlationId))
      await row.waitFor({ timeout: 30_000 })
      const cells = (await row.locator('td').allTextContents()).map((cell) => cell.trim())
      assert.equal(cells[0], correlationId)
      assert.equal(await text(page, `${rowSelector(correlationId)} .tx-operation`), 'criar_usuario')
      assert.equal(cells[2], STATUS_LABELS.success)
      assert.equal(await row.locator('.badge').getAttribute('data-status'), 'success')
      // Both times, each under its own header: processing, then end to end.
      assert.deepEqual(
        (await page.locator('#tx-table thead th').allTextContents()).map((th) => th.trim()),
        ['ID de correlação', 'Operação', 'Status', 'Processamento', 'Ponta a ponta', 'Horário']
      )
      assert.match(cells[3] ?? '', LATENCY, `processing time cell: ${cells[3]}`)
      assert.match(cells[4] ?? '', LATENCY, `end-to-end latency cell: ${cells[4]}`)
      assert.ok(
        ((await row.getAttribute('class')) ?? '').split(' ').includes('highlight'),
        "the button's operation is highlighted"
      )

      // No status is shown as its wire value anywhere (the table included).
      const visible = await page.locator('main').innerText()
      assert.doesNotMatch(visible, WIRE_STATUS_WORDS, 'a wire status shown untranslated')
      for (const badge of await page.locator('#tx-body .badge').all()) {
        const status = (await badge.getAttribute('data-status')) ?? ''
        const label = ((await badge.textContent()) ?? '').trim()
        // A document without a status (none is expected) shows a dash.
        if (status === '') assert.equal(label, '—')
        else assert.equal(label, STATUS_LABELS[status as keyof typeof STATUS_LABELS], status)
      }

      await page.screenshot({ path: join(results, 'dashboard.png'), fullPage: true })
      assert.deepEqual(problems, [], 'no script errors or CSP violations in the page')
    } catch (err) {
      await page
        .screenshot({ path: join(results, 'dashboard-failure.png'), fullPage: true })
        .catch(() => {})
      throw err
    }
  }
)

test(
  'with a keyed gateway, the page asks for the API key, keeps it and sends it',
  { timeout: UP_TIMEOUT_MS + 180_000 },
  async (t) => {
    await platformUp()
    const key = 'dashboard-key-0123456789'
    // A gateway of this test with API_KEYS; the page's /proxy/gateway/ calls are routed to it,
    // the rest (the page itself, the other services) is the platform's nginx as usual.
    const { app } = await startPlatform(t, { gatewayEnv: { API_KEYS: key } })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const gateway = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`

    const browser = await launchBrowser(t)
    const page = await (await browser.newContext({ locale: 'pt-BR' })).newPage()
    const sentKeys = new Map<string, Array<string | undefined>>()
    await page.route(`${dashboardUrl}proxy/gateway/**`, async (route) => {
      const url = new URL(route.request().url())
      const path = url.pathname.replace(/^\/proxy\/gateway\//, '')
      const sent = sentKeys.get(path.split('/')[0] ?? '') ?? []
      sent.push(route.request().headers()['x-api-key'])
      sentKeys.set(path.split('/')[0] ?? '', sent)
      await route.fulfill({
        response: await route.fetch({ url: `${gateway}${path}${url.search}` })
      })
    })
    const problems: string[] = []
    // The refused calls below are logged as failed resources: expected.
    watchProblems(page, problems, (text) => /status of 40[13]/.test(text))

    await page.goto(dashboardUrl, { waitUntil: 'load' })
    await page
      .locator('.tile[data-service="gateway"][data-state="ok"]')
      .waitFor({ timeout: 15_000 })
    assert.equal(await text(page, '#api-key-state'), 'Nenhuma chave salva')
    const button = page.getByRole('button', { name: 'Criar usuário de teste' })
    const runEnds = () =>
      page
        .locator('#run-status[data-status="success"], #run-status[data-status="error"]')
        .waitFor({ timeout: 30_000 })

    // No key: refused, and the message says where to enter one.
    await button.click()
    await runEnds()
    assert.equal(await page.locator('#run-status').getAttribute('data-status'), 'error')
    assert.equal(await text(page, '#run-status'), STATUS_LABELS.error)
    assert.match(await text(page, '#run-message'), /X-API-Key.*Chave de API/)

    // A wrong key: refused as such.
    await page.getByLabel('Chave de API').fill('not-the-right-key-000')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await button.click()
    await page.locator('#run-message', { hasText: 'confira a chave' }).waitFor({ timeout: 30_000 })

    // The right key, kept across a reload: the operation runs to success.
    await page.getByLabel('Chave de API').fill(key)
    await page.getByRole('button', { name: 'Salvar' }).click()
    assert.equal(await text(page, '#api-key-state'), 'Chave salva neste navegador')
    await page.reload({ waitUntil: 'load' })
    assert.equal(await page.getByLabel('Chave de API').inputValue(), key, 'kept in localStorage')
    assert.equal(await page.evaluate("localStorage.getItem('streaming-platform.api-key')"), key)
    await button.click()
    await runEnds()
    assert.equal(
      await page.locator('#run-status').getAttribute('data-status'),
      'success',
      await text(page, '#run-message')
    )
    assert.equal(await text(page, '#run-status'), STATUS_LABELS.success)
    assert.deepEqual(sentKeys.get('usuarios'), [undefined, 'not-the-right-key-000', key])
    assert.ok(
      (sentKeys.get('status') ?? []).every((sent) => sent === key),
      'status calls too'
    )
    assert.ok((sentKeys.get('status') ?? []).length >= 1)
    assert.ok(
      (sentKeys.get('health') ?? []).every((sent) => sent === undefined),
      'health is open'
    )

    // Removed: the next call goes without a key again.
    await page.getByRole('button', { name: 'Remover' }).click()
    assert.equal(await text(page, '#api-key-state'), 'Nenhuma chave salva')
    assert.equal(await page.getByLabel('Chave de API').inputValue(), '')
    assert.deepEqual(problems, [], 'no script errors or CSP violations in the page')
  }
)

/** The monitor's trace of one transaction, as GET /transactions/{id} answers it. */
interface Trace {
  correlation_id: string
  operation: string | null
  status: string
  user_id: string | null
  processing_time_ms: number | null
  end_to_end_latency_ms: number | null
  timeline: Array<{ stage: string; at: string }>
  events: Array<{
    kind: string
    topic: string
    partition: number
    offset: number
    status: string | null
    message: string | null
    error_code: string | null
  }>
}

const STAGES = ['accepted', 'published', 'processed', 'replied', 'indexed']

/** A time as the page's formatLatency writes it. */
const shown = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2).replace('.', ',')} s` : `${Math.round(ms)} ms`

/** The trace straight from the monitor (through nginx), once `check` holds. */
const monitorTrace = (correlationId: string, check: (trace: Trace) => boolean) =>
  waitFor(
    `the monitor's trace of ${correlationId}`,
    async () => {
      const response = await fetch(`${dashboardUrl}proxy/monitor/transactions/${correlationId}`)
      return response.status === 200 ? ((await response.json()) as Trace) : undefined
    },
    (trace) => trace !== undefined && check(trace),
    20_000
  ) as Promise<Trace>

/** A user id no operation ever used: near 2^53, far above what the gateway generates. */
const unusedUserId = () => 9_007_199_000_000_000 + randomInt(0, 254_740_991)

/**
 * What the trace dialog shows matches the monitor's trace: the five stages in order with their
 * times and the gaps between them, both latencies labelled, the events with topic, partition and
 * offset; no wire status word.
 */
async function assertTraceShows(page: Page, trace: Trace) {
  assert.equal(await text(page, '#trace-id'), trace.correlation_id)
  const stages = page.locator('#trace-timeline li')
  assert.deepEqual(
    await stages.evaluateAll((items) => items.map((item) => item.getAttribute('data-stage'))),
    STAGES
  )
  assert.deepEqual(
    trace.timeline.map((stage) => stage.stage),
    STAGES,
    'the monitor has every stage'
  )
  const at = trace.timeline.map((stage) => Date.parse(stage.at))
  for (const [i, stage] of STAGES.entries()) {
    const item = page.locator(`#trace-timeline li[data-stage="${stage}"]`)
    assert.equal(await item.getAttribute('data-state'), 'done', stage)
    assert.equal(
      await item.locator('time').getAttribute('datetime'),
      new Date(at[i]!).toISOString(),
      `${stage}: its time`
    )
    const gap = at[i]! - at[i - 1]!
    assert.equal(
      ((await item.locator('.stage-gap').textContent()) ?? '').trim(),
      i === 0 ? 'início' : `${gap < 0 ? '−' : '+'}${shown(Math.abs(gap))}`,
      `${stage}: the gap since the stage before`
    )
  }
  // The two times, each named: processing (the processor's) and end to end.
  assert.equal(await text(page, '#trace [data-metric="processing"] dt'), 'Processamento')
  assert.equal(await text(page, '#trace [data-metric="end-to-end"] dt'), 'Ponta a ponta')
  assert.ok(trace.processing_time_ms !== null && trace.end_to_end_latency_ms !== null)
  assert.equal(await text(page, '#trace-processing'), shown(trace.processing_time_ms))
  assert.equal(await text(page, '#trace-end-to-end'), shown(trace.end_to_end_latency_ms))
  assert.equal(await text(page, '#trace-operation'), trace.operation)
  assert.equal(await page.locator('#trace-status').getAttribute('data-status'), trace.status)
  assert.equal(
    await text(page, '#trace-status'),
    STATUS_LABELS[trace.status as keyof typeof STATUS_LABELS]
  )
  assert.equal(await text(page, '#trace-user .trace-user-id'), trace.user_id)

  const events = page.locator('#trace-events li.event')
  assert.deepEqual(
    await events.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind'))),
    trace.events.map((event) => event.kind)
  )
  for (const [i, event] of trace.events.entries()) {
    assert.equal(
      ((await events.nth(i).locator('.event-where').textContent()) ?? '').trim(),
      `${event.topic} · partição ${event.partition} · offset ${event.offset}`
    )
  }
  assert.doesNotMatch(
    await page.locator('#trace').innerText(),
    WIRE_STATUS_WORDS,
    'a wire status shown untranslated in the trace'
  )
}

/** The trace dialog open and done loading (every stage in, nothing awaited any more). */
async function traceLoaded(page: Page) {
  await page.locator('#trace[open]').waitFor({ timeout: 10_000 })
  await page.locator('#trace-timeline li[data-state="done"]').nth(4).waitFor({ timeout: 20_000 })
  await page.locator('#trace-state-box').waitFor({ state: 'hidden', timeout: 20_000 })
}

test(
  "a transaction's trace opens from its row, the button's result and the search; the page fits a phone",
  { timeout: UP_TIMEOUT_MS + 240_000 },
  async (t) => {
    await platformUp()
    await mkdir(results, { recursive: true })
    const browser = await launchBrowser(t)
    const problems: string[] = []
    // A fresh or unknown transaction is a 404 of the trace route, asked again: expected.
    const watch = (page: Page) =>
      watchProblems(
        page,
        problems,
        (text, url) => /status of 404/.test(text) && url.includes('/proxy/monitor/transactions/')
      )
    const page = watch(await (await browser.newContext(desktop)).newPage())
    let current = page

    try {
      await page.goto(dashboardUrl, { waitUntil: 'load' })
      await page.getByRole('button', { name: 'Criar usuário de teste' }).click()
      await page.locator('#run-status[data-status="success"]').waitFor({ timeout: 30_000 })
      const correlationId = await text(page, '#run-id')
      const userId = /ID do usuário (\d+)$/.exec(await text(page, '#run-user'))?.[1]
      assert.ok(userId, 'the created user id is shown')

      // A click on its row opens the trace.
      const row = page.locator(rowSelector(correlationId))
      await row.waitFor({ timeout: 30_000 })
      assert.equal(await row.getAttribute('tabindex'), '0', 'rows take the focus')
      assert.equal(await page.locator('#trace').isVisible(), false)
      await row.click()
      await traceLoaded(page)
      const trace = await monitorTrace(
        correlationId,
        (body) => body.status === 'success' && body.timeline.length === 5
      )
      assert.equal(trace.operation, 'criar_usuario')
      assert.equal(trace.user_id, userId)
      await assertTraceShows(page, trace)
      assert.equal(await text(page, '#trace-outcome-title'), 'Mensagem')
      const replied = trace.events.find((event) => event.kind === 'reply')
      assert.match(await text(page, '#trace-message'), /^Usuário \d+ criado/)
      assert.equal(await text(page, '#trace-message'), replied?.message)
      assert.equal(await page.locator('#trace-code').isVisible(), false, 'no error code')
      await page.screenshot({ path: join(results, 'dashboard-trace.png') })

      // Escape closes it and gives the focus back to the row; Enter and Space open it again.
      await page.keyboard.press('Escape')
      await page.locator('#trace').waitFor({ state: 'hidden' })
      const focusedRow = () =>
        page.evaluate<string | null | undefined>(
          "document.activeElement?.getAttribute('data-correlation-id')"
        )
      assert.equal(await focusedRow(), correlationId, 'the focus is back on the row')
      for (const key of ['Enter', ' ']) {
        await page.keyboard.press(key)
        await page.locator('#trace[open]').waitFor({ timeout: 5_000 })
        assert.equal(await text(page, '#trace-id'), correlationId, `opened with ${key}`)
        await page.getByRole('button', { name: 'Fechar' }).click()
        await page.locator('#trace').waitFor({ state: 'hidden' })
        assert.equal(await focusedRow(), correlationId)
      }

      // The button's result opens the same trace.
      await page.getByRole('button', { name: 'Ver rastreamento' }).click()
      await traceLoaded(page)
      assert.equal(await text(page, '#trace-id'), correlationId)
      await page.getByRole('button', { name: 'Fechar' }).click()
      await page.locator('#trace').waitFor({ state: 'hidden' })

      // A failing operation: a session for a user that does not exist gets an error reply.
      const ghost = unusedUserId()
      const accepted = await fetch(`${dashboardUrl}proxy/gateway/sessoes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: ghost, dispositivo: 'Web' })
      })
      assert.equal(accepted.status, 202)
      const failedId = ((await accepted.json()) as { correlation_id: string }).correlation_id
      const settled = (await (
        await fetch(`${dashboardUrl}proxy/gateway/status/${failedId}?wait=10`)
      ).json()) as { status: string; message: string }
      assert.equal(settled.status, 'error')
      assert.match(settled.message, new RegExp(`${ghost}`), 'the reply names the user')

      // Searched by its correlation id right away (the monitor may not have it yet): its trace
      // says why it failed.
      const searchBox = page.getByLabel('Buscar por ID de correlação ou ID do usuário')
      await searchBox.fill(failedId)
      await searchBox.press('Enter')
      await traceLoaded(page)
      const failed = await monitorTrace(
        failedId,
        (body) => body.status === 'error' && body.timeline.length === 5
      )
      await assertTraceShows(page, failed)
      assert.equal(failed.operation, 'criar_sessao')
      assert.equal(await page.locator('#trace-outcome').getAttribute('data-status'), 'error')
      assert.equal(await text(page, '#trace-outcome-title'), 'Por que falhou')
      assert.equal(await text(page, '#trace-message'), settled.message)
      const errorCode = failed.events.find((event) => event.kind === 'reply')?.error_code
      assert.ok(errorCode, 'the error reply has a code')
      assert.equal(await text(page, '#trace-code'), `Código do erro: ${errorCode}`)
      await page.screenshot({ path: join(results, 'dashboard-trace-error.png') })
      await page.keyboard.press('Escape')
      await page.locator('#trace').waitFor({ state: 'hidden' })

      // Searched by user id: that user's transactions, and no other.
      const listed = async (userId: string) => {
        await searchBox.fill(userId)
        await searchBox.press('Enter')
        await page.locator('#tx-filter').waitFor({ timeout: 5_000 })
        assert.equal(await text(page, '#tx-filter-user'), userId)
        await page.locator('#search-state', { hasText: `do usuário ${userId}` }).waitFor()
        return page.locator('#tx-body tr[data-correlation-id]')
      }
      let rows = await listed(userId)
      await page.locator(rowSelector(correlationId)).waitFor({ timeout: 10_000 })
      assert.equal(await text(page, `${rowSelector(correlationId)} .tx-operation`), 'criar_usuario')
      for (const shownUser of await rows.evaluateAll((items) =>
        items.map((item) => item.getAttribute('data-user-id'))
      )) {
        assert.equal(shownUser, userId, "only the user's transactions")
      }
      assert.equal(await text(page, '#transacoes-titulo'), 'Transações do usuário')
      await page.screenshot({ path: join(results, 'dashboard-search.png'), fullPage: true })
      // The failed operation's user: its only transaction, failed (its reply names no user).
      rows = await listed(String(ghost))
      await page.locator(rowSelector(failedId)).waitFor({ timeout: 10_000 })
      assert.equal(await rows.count(), 1)
      assert.equal(
        await page.locator(`${rowSelector(failedId)} .badge`).getAttribute('data-status'),
        'error'
      )
      assert.equal(await text(page, `${rowSelector(failedId)} .badge`), STATUS_LABELS.error)

      // Nothing found, and an input that is neither id: each said plainly.
      const nobody = String(unusedUserId())
      await searchBox.fill(nobody)
      await searchBox.press('Enter')
      await page
        .locator('#search-state', {
          hasText: `Nenhuma transação encontrada para o usuário ${nobody}.`
        })
        .waitFor({ timeout: 10_000 })
      assert.equal(await rows.count(), 0)
      assert.equal(
        await text(page, '#tx-body td.empty'),
        `Nenhuma transação encontrada para o usuário ${nobody}.`
      )
      await searchBox.fill('usuário-12')
      await searchBox.press('Enter')
      await page
        .locator('#search-state', { hasText: 'não é um ID de correlação' })
        .waitFor({ timeout: 5_000 })
      assert.match(await text(page, '#search-state'), /nem um ID de usuário/)
      const unknown = randomUUID()
      await searchBox.fill(unknown)
      await searchBox.press('Enter')
      await page
        .locator('#search-state', {
          hasText: `Nenhuma transação encontrada com o ID de correlação ${unknown}.`
        })
        .waitFor({ timeout: 20_000 })
      assert.equal(await page.locator('#trace').isVisible(), false)

      // "Mostrar todas" goes back to everyone's latest.
      await page.getByRole('button', { name: 'Mostrar todas' }).click()
      await page.locator('#tx-filter').waitFor({ state: 'hidden' })
      await page.locator(rowSelector(failedId)).waitFor({ timeout: 10_000 })
      assert.equal(await text(page, '#transacoes-titulo'), 'Transações recentes')

      // A phone, 390 px wide: nothing scrolls sideways, the table included; nor with the trace open.
      current = watch(
        await (
          await browser.newContext({
            viewport: { width: 390, height: 844 },
            deviceScaleFactor: 2,
            isMobile: true,
            hasTouch: true,
            locale: 'pt-BR',
            colorScheme: 'light'
          })
        ).newPage()
      )
      const phone = current
      await phone.goto(dashboardUrl, { waitUntil: 'load' })
      const phoneRow = phone.locator(rowSelector(failedId))
      await phoneRow.waitFor({ timeout: 15_000 })
      await phone.locator('.tile[data-service="monitor"][data-state="ok"]').waitFor()
      assert.ok((await scrollWidth(phone)) <= 390, `page width ${await scrollWidth(phone)} px`)
      const card = await phoneRow.boundingBox()
      assert.ok(card && card.x >= 0 && card.x + card.width <= 390, 'the row fits the screen')
      await phone.screenshot({ path: join(results, 'dashboard-mobile.png'), fullPage: true })

      await phoneRow.tap()
      await traceLoaded(phone)
      assert.equal(await text(phone, '#trace-message'), settled.message)
      assert.ok((await scrollWidth(phone)) <= 390)
      const box = await phone.locator('#trace').boundingBox()
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the trace fits the screen')
      assert.ok(
        await phone
          .locator('#trace')
          .evaluate((dialog) => dialog.scrollWidth <= dialog.clientWidth),
        'the trace does not scroll sideways'
      )
      await phone.screenshot({ path: join(results, 'dashboard-mobile-trace.png') })
      assert.deepEqual(problems, [], 'no script errors or CSP violations in the page')
    } catch (err) {
      await current
        .screenshot({ path: join(results, 'dashboard-trace-failure.png'), fullPage: true })
        .catch(() => {})
      throw err
    }
  }
)
