// Debian's Chromium, driven by playwright-core (no downloaded browser), with a fresh profile per
// run. A page that logs an error (a failed script, a CSP violation, an uncaught exception) fails
// the test that opened it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startDucklake, type Ducklake, type DucklakeOptions } from '../test/ducklake'

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
// axe-core, run in the page through the DevTools protocol, which the page's CSP does not govern.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const SCREENSHOTS = resolve(process.env.DUCKLAKE_SCREENSHOTS ?? join(import.meta.dirname, '..', '..', 'build', 'web-e2e'))

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

export interface Browser {
  context: BrowserContext
  page: Page
  /** Errors the pages reported so far. */
  errors: string[]
  screenshot(name: string): Promise<void>
  /** The accessibility problems axe-core finds on the page that would stop someone (impact
   *  serious or critical), one line each; [] when there are none. */
  accessibilityProblems(): Promise<string[]>
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
    async accessibilityProblems() {
      await page.evaluate(AXE)
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe
        const found = (await axe.run(document)).violations
        // An open tree item's visible text includes its children's; its name is its own row's
        // text, as the ARIA tree pattern wants, which axe reads as a label/content mismatch.
        const openTreeItem = (target: string[]) =>
          document.querySelector(target.join(' '))?.matches('[role="treeitem"]:has([role="group"])') ?? false
        return found
          .map((violation) =>
            violation.id === 'label-content-name-mismatch'
              ? { ...violation, nodes: violation.nodes.filter((node) => !openTreeItem(node.target)) }
              : violation,
          )
          .filter((violation) => violation.nodes.length > 0)
      })
      return violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}: ${violation.help}`)
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** A server serving the built app (found beside the binary, as an installed one finds it) and a
 *  browser, started before the tests of the enclosing describe block and stopped after them. */
export function appInBrowser(options: DucklakeOptions = {}): { server: Ducklake; browser: Browser } {
  const app = {} as { server: Ducklake; browser: Browser }
  beforeAll(async () => {
    app.server = await startDucklake({ webDir: 'beside-binary', ...options })
    app.browser = await openBrowser()
  })
  afterAll(async () => {
    await app.browser?.close()
    await app.server?.stop()
  })
  return app
}
