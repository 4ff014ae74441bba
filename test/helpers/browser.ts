// Debian's Chromium, headless, driven by playwright-core, for the tests that look at a page.
// The platform itself never needs a browser, so `npm run up` does not install one: the first test
// that launches a browser installs it (`bash stack/stack.sh chromium`, Debian's package).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import { defer } from './cleanup.ts'

const CHROMIUM = '/usr/bin/chromium'
const root = new URL('../..', import.meta.url).pathname
const run = promisify(execFile)

let installing: Promise<void> | undefined

/** Installs Chromium through the stack unless it is there; once per process, however many ask. */
async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return
  installing ??= (async () => {
    console.log('[browser] Chromium is missing; installing it (bash stack/stack.sh chromium)')
    try {
      await run('bash', ['stack/stack.sh', 'chromium'], { cwd: root, timeout: 600_000 })
    } catch (err) {
      const { stderr } = err as { stderr?: string }
      console.error(`[browser] installing Chromium failed:\n${stderr ?? String(err)}`)
    }
  })()
  await installing
}

/**
 * A headless Chromium with a fresh temporary profile (removed on close), closed after the test.
 * Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
 */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  await ensureChromium()
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}; install it with \`bash stack/stack.sh chromium\` (stack/servers/chromium.sh)`
  )
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  defer(t, () => browser.close())
  return browser
}

/**
 * Collects a page's script errors and console errors into `problems`, each console error with
 * the address it is about (a failed load names the resource). `expected` lets a test leave out
 * the errors its own steps cause, such as a refused call it makes on purpose.
 */
export function watchProblems(
  page: Page,
  problems: string[],
  expected: (text: string, url: string) => boolean = () => false
): Page {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const { url } = message.location()
    if (!expected(message.text(), url)) problems.push(`console: ${message.text()} (${url})`)
  })
  return page
}

/**
 * A load that failed because a service answered 502/503 through the dashboard's proxy: the page
 * shows that state (a red tile, "indisponível"), so it is the page working, not a page error.
 * Such loads are added to `seen` for the test to report.
 */
export const unavailableThroughProxy =
  (seen: string[]) =>
  (text: string, url: string): boolean => {
    const answered =
      /status of 50[23]\b/.test(text) &&
      URL.canParse(url) &&
      new URL(url).pathname.startsWith('/proxy/')
    if (answered) seen.push(url)
    return answered
  }

/** The browser context the dashboard tests look with: a desktop window, Brazilian Portuguese. */
export const desktop = {
  viewport: { width: 1360, height: 900 },
  locale: 'pt-BR',
  colorScheme: 'light'
} as const

/** How wide the page is: wider than the window means it scrolls sideways. */
export const scrollWidth = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth')
