// Helmet's headers on the real gateway (Kafka and Redis of the native stack), and Swagger UI
// rendering under that Content-Security-Policy in headless Chromium (Debian's, driven by
// playwright-core) with no CSP violation or script error. Then Swagger UI as a person uses it:
// "Try it out" and "Execute" on POST /usuarios, twice, without typing anything, with a real
// processor: both operations succeed (screenshots in test-results/swagger-try-it-out-*.png).
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { launchBrowser } from '../../../test/helpers/browser.ts'
import { startPlatform } from '../../../test/helpers/platform.ts'
import { assertProtectiveHeaders } from './security-headers.checks.ts'

const API_KEY = 'swagger-ui-key-0123456789'
const results = fileURLToPath(new URL('../../../test-results/', import.meta.url))
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

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
    assertProtectiveHeaders(headers, what)
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
    // Found by method and path: the element id Swagger UI derives from the tag changes with it.
    const status = page.locator('.opblock.opblock-get').filter({
      has: page.locator('.opblock-summary-path[data-path="/status/{correlation_id}"]')
    })
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

test(
  'Swagger UI: Try it out and Execute on POST /usuarios, twice with the defaults, both succeed',
  { timeout: 120_000 },
  async (t) => {
    // A gateway with a processor of this test; the browser needs a real port.
    const { app } = await startPlatform(t)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    await mkdir(results, { recursive: true })

    const browser = await launchBrowser(t)
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'pt-BR' })
    ).newPage()
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text())
    })

    await page.goto(`${base}/docs`, { waitUntil: 'load' })
    // The operation's block, found by what a person sees: POST and the path /usuarios.
    const block = page
      .locator('.opblock.opblock-post')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/usuarios"]') })
    await block.waitFor({ timeout: 30_000 })
    await block.locator('.opblock-summary').click()
    await block.locator('.try-out__btn').click()
    const body = block.locator('.body-param__text')
    const shownBody = (await body.count()) > 0 ? await body.inputValue() : '(no body editor)'

    /** Clicks Execute; answers the correlation_id read from the response Swagger UI shows. */
    const execute = async (run: number, previous?: string) => {
      const sent = page.waitForRequest(
        (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/usuarios'
      )
      await block.locator('.btn.execute').click()
      const request = await sent
      const live = block.locator('.live-responses-table tbody')
      const code = live.locator('.response-col_status').first()
      const shown = live.locator('.response-col_description pre').first()
      // The shown answer is this Execute's: one whose correlation_id is not the previous one.
      let answer: { correlation_id?: string; usuario?: { user_id?: number } } = {}
      for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
        try {
          answer = JSON.parse((await shown.textContent({ timeout: 1_000 })) ?? '')
        } catch {
          answer = {}
        }
        if (answer.correlation_id && answer.correlation_id !== previous) break
        await page.waitForTimeout(100)
      }
      // What a person sees: the block from its summary down to the answer shown (in page
      // coordinates: the boxes are the viewport's, and the page is scrolled).
      const scrollY = await page.evaluate<number>('window.scrollY')
      const top = await block.boundingBox()
      const bottom = await block.locator('.live-responses-table').boundingBox()
      assert.ok(top && bottom, `Execute ${run}: the block and its answer are laid out`)
      const clip = {
        x: top.x,
        y: top.y + scrollY,
        width: top.width,
        height: bottom.y + bottom.height - top.y
      }
      await page.screenshot({
        path: `${results}swagger-try-it-out-${run}.png`,
        fullPage: true,
        clip
      })
      assert.equal((await code.textContent())?.trim(), '202', `Execute ${run}: 202 shown`)
      assert.match(answer.correlation_id ?? '', UUID, `Execute ${run}: correlation_id shown`)
      return { id: answer.correlation_id ?? '', sent: request.postData() ?? '(no body)', answer }
    }

    const first = await execute(1)
    const second = await execute(2, first.id)
    assert.notEqual(second.id, first.id)

    // Each operation runs to its reply, with the processor of this test.
    for (const [run, { id, sent, answer }] of [first, second].entries()) {
      let record: { status: string; message?: string } = { status: 'pending' }
      for (let poll = 0; poll < 3 && record.status === 'pending'; poll++) {
        const response = await fetch(`${base}/status/${id}?wait=10`)
        assert.equal(response.status, 200, `GET /status/${id}`)
        record = (await response.json()) as typeof record
      }
      assert.equal(
        record.status,
        'success',
        `Execute ${run + 1} ended ${record.status}: ${record.message} (body shown: ` +
          `${shownBody}; sent: ${sent}; user_id ${answer.usuario?.user_id})`
      )
    }
    assert.deepEqual(problems, [], 'no CSP violation or script error')
  }
)
