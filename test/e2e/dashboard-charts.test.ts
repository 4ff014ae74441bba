// The dashboard's live charts and Kafka section in a real browser: the native platform
// (`scripts/platform.sh up`, nginx included) and Debian's Chromium driven by playwright-core.
// Operations are sent to the gateway while the page reads GET /metrics/summary every 5 s: the
// monitor's numbers move, the charts draw (a canvas each, a value per series under it), the
// charting library comes from the dashboard itself. Then the Kafka section: user_events with
// its partitions and offsets, the processor group and its lag, and a partition's last messages
// decoded (a correlation_id among them). Screenshots test-results/dashboard-charts.png,
// dashboard-kafka.png and dashboard-charts-mobile.png (390 px, nothing scrolls sideways).
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  desktop,
  launchBrowser,
  scrollWidth,
  unavailableThroughProxy,
  watchProblems
} from '../helpers/browser.ts'
import { dashboardUrl, platformUp, UP_TIMEOUT_MS } from '../helpers/dashboard.ts'
import { waitFor } from '../helpers/monitor.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const results = join(root, 'test-results')
const gatewayUrl = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8000'}`
const monitorUrl = `http://127.0.0.1:${process.env.MONITOR_PORT ?? '8002'}`
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

interface Summary {
  at: number
  gateway: { up: boolean }
  processor: {
    up: boolean
    operations: Record<string, { replies: Record<string, number> }>
  }
  kafka: { up: boolean }
  lag: Record<string, number>
}

interface Overview {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; high: string }> }>
  groups: Array<{ group_id: string; lag: number; topics: Array<{ topic: string }> }>
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  assert.equal(response.status, 200, `GET ${url}`)
  return (await response.json()) as T
}

const replies = (summary: Summary) =>
  Object.values(summary.processor.operations).reduce(
    (total, op) => total + Object.values(op.replies).reduce((a, b) => a + b, 0),
    0
  )

/** Creates users on the gateway until stopped, a few a second. */
function sendOperations(): { stop: () => Promise<number> } {
  const state = { running: true }
  let sent = 0
  const loop = (async () => {
    while (state.running) {
      const response = await fetch(`${gatewayUrl}/usuarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nome: 'Gráfico Teste' }),
        signal: AbortSignal.timeout(5_000)
      }).catch(() => undefined)
      if (response?.status === 202) sent++
      await response?.body?.cancel().catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
  })()
  return {
    stop: async () => {
      state.running = false
      await loop
      return sent
    }
  }
}

test(
  'the dashboard draws live charts and shows Kafka topics, groups and messages',
  { timeout: UP_TIMEOUT_MS + 180_000 },
  async (t) => {
    await platformUp()
    await mkdir(results, { recursive: true })

    // The charting library is the dashboard's own file, not a CDN's.
    const library = await fetch(`${dashboardUrl}vendor/uplot.iife.min.js`)
    assert.equal(library.status, 200)
    assert.match(await library.text(), /uPlot/)

    const browser = await launchBrowser(t)
    const context = await browser.newContext(desktop)
    const page = await context.newPage()
    const problems: string[] = []
    const unavailable: string[] = []
    watchProblems(page, problems, unavailableThroughProxy(unavailable))
    const external: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(dashboardUrl)) external.push(request.url())
    })

    const load = sendOperations()
    try {
      const before = await getJson<Summary>(`${monitorUrl}/metrics/summary`)
      assert.equal(before.gateway.up, true)
      assert.equal(before.processor.up, true)
      assert.equal(before.kafka.up, true)

      const response = await page.goto(dashboardUrl, { waitUntil: 'load' })
      assert.equal(response?.status(), 200)

      // --- live charts
      const charts = page.locator('#graficos')
      await page.locator('#graficos[data-ready="true"]').waitFor({ timeout: 20_000 })
      // Rates need two reads in which operations ran: wait for the operations chart to show one.
      /** Each chart's series and their latest values, as the page shows them. */
      const shown = () =>
        page
          .locator('.chart')
          .evaluateAll((figures) =>
            Object.fromEntries(
              figures.map((figure) => [
                figure.getAttribute('data-chart'),
                Object.fromEntries(
                  [...figure.querySelectorAll('.chart-values li[data-series]')].map((item) => [
                    item.getAttribute('data-series'),
                    Number(item.getAttribute('data-value') || 'NaN')
                  ])
                )
              ])
            )
          )
      // Two points at least, so that the lines show on the screenshot.
      const points = () =>
        page.locator('[data-chart="operations"]').getAttribute('data-points').then(Number)
      const values = await waitFor(
        'operations/s and a p95 latency above zero on the charts, two points drawn',
        async () => ({ ...(await shown()), drawn: await points() }),
        (found) =>
          found.drawn >= 2 &&
          (found.operations?.['criar usuário'] ?? 0) > 0 &&
          (found.latency?.['criar usuário p95'] ?? 0) > 0,
        40_000
      )
      assert.ok('processor' in (values.lag ?? {}), JSON.stringify(values.lag))
      assert.ok((values.lag?.processor ?? -1) >= 0)
      assert.ok('respostas com erro' in (values.errors ?? {}))
      assert.ok('dead letters' in (values['dead-letters'] ?? {}))
      const sent = await load.stop()
      assert.ok(sent > 0, 'the gateway accepted operations')

      const after = await getJson<Summary>(`${monitorUrl}/metrics/summary`)
      assert.ok(after.at > before.at)
      assert.ok(replies(after) > replies(before), 'the processor replies counted in the summary')
      assert.ok(
        'processor' in after.lag,
        `lag of the processor group: ${JSON.stringify(after.lag)}`
      )

      for (const id of ['operations', 'errors', 'latency', 'lag', 'dead-letters']) {
        const chart = page.locator(`[data-chart="${id}"]`)
        assert.equal(await chart.locator('canvas').count(), 1, `${id}: one canvas`)
        assert.ok(Number(await chart.getAttribute('data-points')) >= 1, `${id}: points drawn`)
        assert.ok((await chart.locator('.chart-values li[data-series]').count()) >= 1, id)
      }
      assert.match(
        await page.locator('[data-chart="operations"] .series-value').first().innerText(),
        /op\/s$/
      )
      await charts.screenshot({ path: join(results, 'dashboard-charts.png') })

      // --- Kafka
      await page.goto(`${dashboardUrl}#kafka`)
      await page.locator('#kafka[data-ready="true"]').waitFor({ timeout: 20_000 })
      const overview = await getJson<Overview>(`${monitorUrl}/kafka/topics`)
      const userEvents = overview.topics.find(({ topic }) => topic === 'user_events')
      assert.ok(userEvents, 'user_events listed by the monitor')
      const topic = page.locator('.kafka-topic[data-topic="user_events"]')
      assert.equal(
        await topic.locator('tbody tr').count(),
        userEvents.partitions.length,
        'a row per partition'
      )
      assert.equal(await page.locator('.kafka-topic[data-topic^="__"]').count(), 0)
      const group = page.locator('.kafka-group[data-group="processor"]')
      await group.waitFor()
      assert.match((await group.getAttribute('data-lag')) ?? '', /^\d+$/)
      assert.match(await group.innerText(), /atraso \d/)
      assert.match(
        await group.locator('li[data-topic="user_events"]').innerText(),
        /^user_events: atraso/
      )

      // The fullest partition's last messages, decoded.
      const fullest = [...userEvents.partitions].sort((a, b) => Number(b.high) - Number(a.high))[0]
      assert.ok(fullest && Number(fullest.high) > 0)
      await topic.locator(`tbody tr[data-partition="${fullest.partition}"] button`).click()
      await page.locator('#kafka-mensagens[data-state="ok"]').waitFor({ timeout: 20_000 })
      assert.match(
        await page.locator('#kafka-mensagens-titulo').innerText(),
        new RegExp(`user_events, partição ${fullest.partition}$`)
      )
      const first = page.locator('.kafka-message').first()
      const value = await first.locator('.kafka-value').innerText()
      assert.match(value, new RegExp(`"correlation_id": "${UUID.source}"`))
      assert.match(await first.locator('.kafka-message-head').innerText(), /^offset \d+/)
      assert.ok((await page.locator('.kafka-message').count()) >= 1)
      await page.locator('#kafka').screenshot({ path: join(results, 'dashboard-kafka.png') })

      // --- a phone, 390 px wide: nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 })
      await page.waitForTimeout(500)
      assert.ok((await scrollWidth(page)) <= 390, `page width ${await scrollWidth(page)} px`)
      const canvas = await page.locator('[data-chart="operations"] canvas').boundingBox()
      assert.ok(canvas && canvas.x >= 0 && canvas.x + canvas.width <= 390, 'the chart fits')
      await charts.scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(results, 'dashboard-charts-mobile.png') })

      assert.deepEqual(problems, [], 'no script errors or CSP violations in the page')
      if (unavailable.length > 0) {
        t.diagnostic(`answered unavailable while the page ran: ${unavailable.join(', ')}`)
      }
      assert.deepEqual(external, [], 'everything from the dashboard itself')
    } catch (err) {
      await page
        .screenshot({ path: join(results, 'dashboard-charts-failure.png'), fullPage: true })
        .catch(() => {})
      throw err
    } finally {
      await load.stop()
    }
  }
)
