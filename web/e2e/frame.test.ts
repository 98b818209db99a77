// The app as an installed server serves it: found beside the binary, every page URL loads it,
// and it loads without a single error (a blocked script or style would show up here).
import { describe, expect, it } from 'vitest'
import { appInBrowser } from './browser'

describe('the app in Chromium', () => {
  const app = appInBrowser()

  it('loads from the binary with nothing else running, at a deep URL too', async () => {
    const { server, browser } = app
    const { page } = browser
    await page.goto(`${server.url}/no/such/page`)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
    await page.getByRole('link', { name: 'Go home' }).click()
    await page.waitForURL(`${server.url}/`)
    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'Files',
      'Tables',
      'SQL',
      'Lineage',
    ])
    expect(browser.errors).toEqual([])
  })
})
