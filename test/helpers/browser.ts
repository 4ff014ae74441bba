// Debian's Chromium, headless, driven by playwright-core, for the tests that look at a page.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import type { TestContext } from 'node:test'
import { chromium, type Browser } from 'playwright-core'
import { defer } from './cleanup.ts'

const CHROMIUM = '/usr/bin/chromium'

/**
 * A headless Chromium with a fresh temporary profile (removed on close), closed after the test.
 * Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
 */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}; install it with \`bash stack/stack.sh up\` (stack/servers/chromium.sh)`
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
