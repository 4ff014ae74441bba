// The dashboard in a real browser: the native platform (`scripts/platform.sh up`, nginx included)
// and Debian's Chromium driven by playwright-core. Loads the page through nginx, sees the three
// services healthy, runs "Criar usuário de teste" to success and finds the operation in the
// recent transactions. Everything the page shows is Portuguese: statuses are shown translated
// (pendente, sucesso, erro, cancelado) with the wire value kept in data-status. Leaves a
// screenshot in test-results/dashboard.png. Then, against a gateway with API_KEYS, the page's key
// field: refused without the key, kept and sent once entered.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { launchBrowser } from '../helpers/browser.ts'
import { startPlatform } from '../helpers/platform.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const results = join(root, 'test-results')
const dashboardHost = process.env.DASHBOARD_HOST ?? '127.0.0.1'
const dashboardUrl = `http://${dashboardHost}:${process.env.DASHBOARD_PORT ?? '8089'}/`
/** A cold start installs and starts every server (Elasticsearch and Kafka take the longest). */
const UP_TIMEOUT_MS = Number(process.env.PLATFORM_UP_TIMEOUT_MS ?? 600_000)
const SERVICES = ['gateway', 'processor', 'monitor']

const execFileAsync = promisify(execFile)

/** `platform.sh up` is idempotent: quick when everything already runs. */
async function platformUp(): Promise<void> {
  try {
    await execFileAsync('bash', ['scripts/platform.sh', 'up'], {
      cwd: root,
      timeout: UP_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024
    })
  } catch (err) {
    const { stderr, killed } = err as { stderr?: string; killed?: boolean }
    const tail = (stderr ?? '').trim().split('\n').slice(-30).join('\n')
    assert.fail(
      `bash scripts/platform.sh up ${killed ? `did not finish within ${UP_TIMEOUT_MS / 1000} s` : 'failed'}:\n${tail}`
    )
  }
}

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

test(
  'the dashboard shows the services healthy and runs an operation to success',
  { timeout: UP_TIMEOUT_MS + 180_000 },
  async (t) => {
    await platformUp()
    await mkdir(results, { recursive: true })

    const browser = await launchBrowser(t)
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      locale: 'pt-BR',
      colorScheme: 'light'
    })
    const page = await context.newPage()
    // Script errors and Content-Security-Policy violations surface here.
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })

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
      const row = page.locator(`#tx-body tr[data-correlation-id="${correlationId}"]`)
      await row.waitFor({ timeout: 30_000 })
      const cells = (await row.locator('td').allTextContents()).map((cell) => cell.trim())
      assert.equal(cells[0], correlationId)
      assert.equal(cells[1], 'criar_usuario')
      assert.equal(cells[2], STATUS_LABELS.success)
      assert.equal(await row.locator('.badge').getAttribute('data-status'), 'success')
      assert.match(cells[3] ?? '', /^\d[\d.,]* (ms|s)$/, `latency cell: ${cells[3]}`)
      assert.equal(await row.getAttribute('class'), 'highlight')

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
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    page.on('console', (message) => {
      // The refused calls below are logged as failed resources: expected.
      if (message.type() === 'error' && !/status of 40[13]/.test(message.text())) {
        problems.push(`console: ${message.text()}`)
      }
    })

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
