// Every tool card of the dashboard, followed in a real browser the way a person does: the link as
// the page built it (its href, or a click on it) leads to that tool's own working page. With
// compose every card is a container's UI; natively (`npm run up`) Adminer, Mongo Express and
// Redis Commander run beside the services (stack/tools.sh), and the Kafka UI and Kibana cards
// lead to this page's Kafka section, live charts and traces. The page learns which from nginx's
// /runtime.json. One operation is run first (the page's test button), so every store holds
// something of the platform's to see. Screenshots: test-results/tools-<tool>.png.
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import {
  desktop,
  launchBrowser,
  unavailableThroughProxy,
  watchProblems
} from '../helpers/browser.ts'
import { dashboardUrl, platformUp, UP_TIMEOUT_MS } from '../helpers/dashboard.ts'
import { servers } from '../helpers/servers.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const results = join(root, 'test-results')

/** Mongo Express' login, as compose and stack/tools.sh give it (.env.example). */
const mongoExpressLogin = {
  username: process.env.ME_BASIC_AUTH_USERNAME ?? 'admin',
  password: process.env.ME_BASIC_AUTH_PASSWORD ?? 'admin'
}
const postgres = new URL(servers.postgresUrl)
const mongoDatabase = new URL(servers.mongoUrl).pathname.slice(1) || 'streaming'

interface Runtime {
  runtime: 'compose' | 'native'
  tools: boolean
  adminer_server: string
}

const card = (page: Page, tool: string) => page.locator(`.card[data-tool="${tool}"]`)

/** The card's visible link, and the address it leads to. */
async function cardLink(page: Page, tool: string): Promise<{ link: Locator; href: string }> {
  const link = card(page, tool).locator('h3 a').locator('visible=true')
  assert.equal(await link.count(), 1, `${tool}: one visible link`)
  const href = new URL((await link.getAttribute('href')) ?? '', dashboardUrl).href
  return { link, href }
}

/** Clicks a link that opens a new tab, and answers that tab once it loaded. */
async function openInNewTab(context: BrowserContext, link: Locator): Promise<Page> {
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()])
  // A tab opened with rel=noopener starts at about:blank, then goes to the link's address.
  await tab.waitForURL(/^https?:/, { waitUntil: 'load', timeout: 30_000 })
  return tab
}

const shot = (page: Page, tool: string) =>
  page.screenshot({ path: join(results, `tools-${tool}.png`) })

test(
  'every tool card on the dashboard opens a working tool',
  { timeout: UP_TIMEOUT_MS + 360_000 },
  async (t) => {
    await platformUp()
    await mkdir(results, { recursive: true })

    const browser = await launchBrowser(t)
    const context = await browser.newContext({
      ...desktop,
      // Mongo Express asks for HTTP basic auth; a person types these into the browser's prompt.
      httpCredentials: mongoExpressLogin
    })
    const page = await context.newPage()
    // Script errors and Content-Security-Policy violations surface here. A 502/503 of a /proxy/
    // read (a service busy or restarting) is the platform's state, which the tiles show.
    const problems: string[] = []
    const unavailable: string[] = []
    watchProblems(page, problems, unavailableThroughProxy(unavailable))

    try {
      const response = await page.goto(dashboardUrl, { waitUntil: 'load' })
      assert.equal(response?.status(), 200, `GET ${dashboardUrl}`)
      const runtimeAnswer = await page.request.get(new URL('/runtime.json', dashboardUrl).href)
      assert.equal(runtimeAnswer.status(), 200, 'GET /runtime.json')
      const runtime = (await runtimeAnswer.json()) as Runtime
      assert.ok(['compose', 'native'].includes(runtime.runtime), JSON.stringify(runtime))
      await page.locator(`html[data-runtime="${runtime.runtime}"]`).waitFor({ state: 'attached' })
      const native = runtime.runtime === 'native'
      const visibleText = async (tool: string) =>
        (await card(page, tool).innerText()).replace(/\s+/g, ' ')

      // One operation of the platform's own, so PostgreSQL, MongoDB's database and Redis hold it.
      await page.getByRole('button', { name: 'Criar usuário de teste' }).click()
      await page
        .locator('#run-status[data-status="success"], #run-status[data-status="error"]')
        .waitFor({ timeout: 30_000 })
      assert.equal(await page.locator('#run-status').getAttribute('data-status'), 'success')
      const userId = (await page.locator('#run-user').innerText()).match(/(\d+)$/)?.[1]
      assert.ok(userId, 'the test user has an id')

      // No card claims a tool comes only with Docker any more.
      assert.doesNotMatch(await page.locator('main').innerText(), /vêm com\s+docker compose/i)
      await page
        .locator('section[aria-labelledby="ferramentas-titulo"]')
        .screenshot({ path: join(results, 'tools-cards.png') })

      await t.test('Swagger UI', async () => {
        const { link, href } = await cardLink(page, 'swagger')
        assert.equal(new URL(href).pathname, '/docs')
        const tab = await openInNewTab(context, link)
        await tab.locator('.swagger-ui .information-container').waitFor({ timeout: 20_000 })
        await tab.locator('.opblock-summary-path', { hasText: '/usuarios' }).first().waitFor()
        await shot(tab, 'swagger')
        await tab.close()
      })

      await t.test('Adminer: the login of the platform’s PostgreSQL, then its tables', async () => {
        if (!runtime.tools) {
          assert.match(await visibleText('adminer'), /Desligado nesta execução/)
          return
        }
        const { link, href } = await cardLink(page, 'adminer')
        const url = new URL(href)
        const expectedServer = native ? `${postgres.hostname}:${postgres.port || 5432}` : 'postgres'
        assert.equal(runtime.adminer_server, expectedServer)
        assert.equal(url.searchParams.get('pgsql'), expectedServer, href)
        assert.equal(url.searchParams.get('username'), decodeURIComponent(postgres.username))
        assert.equal(url.searchParams.get('db'), postgres.pathname.slice(1))
        assert.match(await visibleText('adminer'), new RegExp(`Servidor ${expectedServer}`))

        const tab = await openInNewTab(context, link)
        const form = tab.locator('form:has(input[name="auth[password]"])')
        await form.waitFor({ timeout: 20_000 })
        assert.equal(await form.locator('select[name="auth[driver]"]').inputValue(), 'pgsql')
        assert.equal(await form.locator('input[name="auth[server]"]').inputValue(), expectedServer)
        assert.equal(
          await form.locator('input[name="auth[username]"]').inputValue(),
          decodeURIComponent(postgres.username)
        )
        await form
          .locator('input[name="auth[password]"]')
          .fill(decodeURIComponent(postgres.password))
        await Promise.all([tab.waitForNavigation(), form.locator('input[type="submit"]').click()])
        // The database's tables: the processor's schema, the test user's row among them.
        await tab.locator('#tables a', { hasText: 'usuarios' }).first().waitFor({ timeout: 20_000 })
        const tables = await tab.locator('#tables').innerText()
        for (const table of ['usuarios', 'assinaturas', 'pagamentos', 'preferencias']) {
          assert.match(tables, new RegExp(`\\b${table}\\b`), `Adminer lists ${table}`)
        }
        await shot(tab, 'adminer')
        await tab.close()
      })

      await t.test('Mongo Express: the platform’s database', async () => {
        if (!runtime.tools) {
          assert.match(await visibleText('mongo-express'), /Desligado nesta execução/)
          return
        }
        const { link } = await cardLink(page, 'mongo-express')
        const tab = await openInNewTab(context, link)
        assert.match(await tab.title(), /Mongo Express/)
        const database = tab
          .locator(`a[href$="/db/${mongoDatabase}/"]`)
          .locator('visible=true')
          .first()
        await database.waitFor({ timeout: 20_000 })
        await shot(tab, 'mongo-express')
        // Its collections, as the processor creates them.
        await Promise.all([tab.waitForNavigation(), database.click()])
        const collections = await tab.locator('main, .container, body').first().innerText()
        assert.match(collections, /historico_visualizacao/)
        assert.match(collections, /recomendacoes/)
        await tab.screenshot({ path: join(results, 'tools-mongo-express-database.png') })
        await tab.close()
      })

      await t.test('Redis Commander: the key tree of the platform’s Redis', async () => {
        if (!runtime.tools) {
          assert.match(await visibleText('redis-commander'), /Desligado nesta execução/)
          return
        }
        const { link } = await cardLink(page, 'redis-commander')
        const tab = await openInNewTab(context, link)
        // The connection's node, and under it the key folders (a scan of every key: a while).
        await tab.locator('#keyTree li li').first().waitFor({ timeout: 180_000 })
        assert.match(await tab.title(), /Redis Commander/)
        const tree = await tab.locator('#keyTree').innerText()
        assert.match(tree, /^local \(/m, tree)
        // Every operation's status lives under status:… (the test user's among them).
        assert.match(tree, /^status:\* \(\d+\)$/m, tree)
        // The tree opens with an animation: the screenshot waits until its folders show.
        await tab.locator('#keyTree li li a', { hasText: /^status:/ }).waitFor({ state: 'visible' })
        await tab.waitForTimeout(500)
        await shot(tab, 'redis-commander')
        await tab.close()
      })

      await t.test('Kafka UI', async () => {
        const { link, href } = await cardLink(page, 'kafka-ui')
        if (!native) {
          const tab = await openInNewTab(context, link)
          await tab.getByText('user_events').first().waitFor({ timeout: 30_000 })
          await shot(tab, 'kafka-ui')
          await tab.close()
          return
        }
        // Natively: this page's Kafka section, where the monitor lists the topics.
        assert.equal(href, new URL('#kafka', dashboardUrl).href)
        assert.match(await visibleText('kafka-ui'), /Kafka UI não é instalado/)
        await link.click()
        assert.equal(new URL(page.url()).hash, '#kafka')
        const section = page.locator('#kafka')
        await section
          .locator('#kafka-topics', { hasText: 'user_events' })
          .waitFor({ timeout: 30_000 })
        await section.locator('#kafka-groups', { hasText: 'processor' }).waitFor()
        assert.ok(await section.isVisible())
        const top = await section
          .locator('h2')
          .evaluate((heading) => heading.getBoundingClientRect().top)
        const height = await page.evaluate<number>('window.innerHeight')
        assert.ok(top >= 0 && top < height, `the link scrolled to the Kafka section (top ${top})`)
        await shot(page, 'kafka-ui')
      })

      await t.test('Kibana', async () => {
        const { link, href } = await cardLink(page, 'kibana')
        if (!native) {
          assert.equal(new URL(href).pathname, '/app/discover')
          const tab = await openInNewTab(context, link)
          await tab.waitForURL(/\/app\/discover/, { timeout: 60_000 })
          await shot(tab, 'kibana')
          await tab.close()
          return
        }
        // Natively it says why Kibana is missing, and where the same documents are.
        const text = await visibleText('kibana')
        assert.match(text, /Sem Docker o Kibana não é instalado/)
        assert.equal(href, new URL('#graficos', dashboardUrl).href)
        const targets = await card(page, 'kibana')
          .locator('a')
          .locator('visible=true')
          .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')))
        assert.deepEqual([...new Set(targets)].sort(), ['#graficos', '#transacoes'])
        await card(page, 'kibana').scrollIntoViewIfNeeded()
        await card(page, 'kibana').screenshot({ path: join(results, 'tools-kibana-card.png') })
        await link.click()
        assert.equal(new URL(page.url()).hash, '#graficos')
        await page.locator('#graficos .chart').first().waitFor()
        assert.equal(await page.locator('#graficos .chart').count(), 5)
        await shot(page, 'kibana')
        // The trace view: the transactions section lists the test button's operation.
        await card(page, 'kibana').locator('a[href="#transacoes"]').click()
        assert.equal(new URL(page.url()).hash, '#transacoes')
        await page.locator('#tx-body tr[data-correlation-id]').first().waitFor({ timeout: 30_000 })
      })

      await t.test('Elasticsearch', async () => {
        const { link, href } = await cardLink(page, 'elasticsearch')
        assert.match(href, /\/_cat\/indices\/api_\*/)
        const tab = await openInNewTab(context, link)
        assert.match(await tab.locator('body').innerText(), /\bapi_usuario\b/)
        await shot(tab, 'elasticsearch')
        await tab.close()
      })

      assert.deepEqual(problems, [], 'no script errors or CSP violations in the dashboard')
      if (unavailable.length > 0) {
        t.diagnostic(`answered unavailable while the page ran: ${unavailable.join(', ')}`)
      }
    } catch (err) {
      await page
        .screenshot({ path: join(results, 'tools-failure.png'), fullPage: true })
        .catch(() => {})
      throw err
    }
  }
)
