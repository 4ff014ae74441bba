// Helmet's headers on the real gateway (Kafka and Redis of the native stack), and Swagger UI
// rendering under that Content-Security-Policy in headless Chromium (Debian's, driven by
// playwright-core) with no CSP violation or script error.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { launchBrowser } from '../../../test/helpers/browser.ts'
import { startPlatform } from '../../../test/helpers/platform.ts'

const API_KEY = 'swagger-ui-key-0123456789'

test('every answer carries the protective headers and the CSP', { timeout: 60_000 }, async (t) => {
  const { app } = await startPlatform(t, { processors: 0 })
  for (const [method, url] of [
    ['GET', '/health'],
    ['GET', '/docs/'],
    ['POST', '/usuarios'],
    ['GET', '/no-such-route'],
    ['POST', '/usuarios?user_id=abc']
  ] as const) {
    const { headers, statusCode } = await app.inject({ method, url })
    const what = `${method} ${url} (${statusCode})`
    const csp = String(headers['content-security-policy'])
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'"
    ]) {
      assert.ok(csp.split(';').includes(directive), `${what}: ${directive} in ${csp}`)
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what)
    assert.equal(headers['x-content-type-options'], 'nosniff', what)
    assert.equal(headers['x-frame-options'], 'SAMEORIGIN', what)
    assert.equal(headers['referrer-policy'], 'no-referrer', what)
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin', what)
    assert.equal(headers['strict-transport-security'], undefined, `${what}: no HSTS on plain HTTP`)
    assert.equal(headers['x-powered-by'], undefined, what)
  }
})

test(
  'Swagger UI renders every operation under the CSP, with an Authorize button when keys are on',
  { timeout: 120_000 },
  async (t) => {
    const { app } = await startPlatform(t, {
      processors: 0,
      gatewayEnv: { API_KEYS: API_KEY }
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const openapi = (await (await fetch(`${base}/docs/json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const operations = Object.values(openapi.paths).reduce(
      (sum, methods) => sum + Object.keys(methods).length,
      0
    )

    const browser = await launchBrowser(t)
    const page = await browser.newPage()
    // Script errors and Content-Security-Policy violations surface here.
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
        problems.push(`console ${message.type()}: ${message.text()}`)
      }
    })
    // A violation Chromium does not log (there are few) is still reported.
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI))`
    })

    const response = await page.goto(`${base}/docs`, { waitUntil: 'load' })
    assert.equal(response?.status(), 200)
    assert.match(
      (await response?.allHeaders())?.['content-security-policy'] ?? '',
      /script-src 'self'/
    )
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 })
    assert.equal(await page.locator('.opblock').count(), operations, 'every operation shown')
    const summaries = await page.locator('.opblock-summary-path').allTextContents()
    assert.ok(
      summaries.some((path) => path.replace(/\u200b/g, '') === '/usuarios'),
      'POST /usuarios'
    )
    assert.match(
      (await page.locator('.info .title').textContent()) ?? '',
      /Plataforma de Streaming/
    )
    assert.equal(await page.locator('.btn.authorize').count(), 1, 'an Authorize button')
    assert.ok((await page.locator('.opblock .authorization__btn').count()) > 0, 'locks on routes')
    assert.deepEqual(problems, [], 'no CSP violation or script error while rendering')

    // Try it out, authorized: the page's own fetch passes the CSP and carries the key. (Its
    // 404 is logged by Chromium as a failed resource: expected, so only CSP lines count now.)
    await page.locator('.btn.authorize').click()
    await page.locator('.auth-container input').fill(API_KEY)
    await page.locator('.auth-btn-wrapper .authorize').click()
    await page.locator('.btn-done').click()
    const status = page.locator('#operations-status-get_status__correlation_id_')
    await status.locator('.opblock-summary').click()
    await status.locator('.try-out__btn').click()
    const correlationId = randomUUID()
    await status.locator('input[placeholder="correlation_id"]').fill(correlationId)
    const sent = page.waitForRequest((request) => request.url().includes(correlationId))
    await status.locator('.execute').click()
    assert.equal((await sent).headers()['x-api-key'], API_KEY, 'the request carries the key')
    const code = status.locator('.live-responses-table tbody .response-col_status')
    await code.waitFor({ timeout: 15_000 })
    assert.equal((await code.textContent())?.trim(), '404', 'answered (unknown id), not refused')

    assert.deepEqual(
      problems.filter((problem) =>
        /Content Security Policy|CSP violation|page error/.test(problem)
      ),
      [],
      'no CSP violation or script error while trying it out'
    )
  }
)
