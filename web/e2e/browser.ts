// Debian's Chromium, driven by playwright-core (no downloaded browser), with a fresh profile per
// run. A page that logs an error (a failed script, a CSP violation, an uncaught exception) fails
// the test that opened it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const SCREENSHOTS = resolve(process.env.DUCKLAKE_SCREENSHOTS ?? join(import.meta.dirname, '..', '..', 'build', 'web-e2e'))

export interface Browser {
  context: BrowserContext
  page: Page
  /** Errors the pages reported so far. */
  errors: string[]
  screenshot(name: string): Promise<void>
  close(): Promise<void>
}

export async function openBrowser(options: { acceptDownloads?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'ducklake-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
    acceptDownloads: options.acceptDownloads ?? true,
  })
  const errors: string[] = []
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
  }
  context.pages().forEach(watch)
  context.on('page', watch)
  const page = context.pages()[0] ?? (await context.newPage())
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
