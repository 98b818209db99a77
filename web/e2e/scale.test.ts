// What must hold at scale and when things go wrong: a folder of 10,000 objects scrolls to its
// last object (pages fetched as it goes, never all rows in the page), and a bad statement shows
// the server's own words.
import { describe, expect, it } from 'vitest'
import { appInBrowser } from './browser'

const OBJECTS = 10_000
const keyOf = (index: number) => `k${String(index).padStart(5, '0')}.txt`

describe('at scale, and with mistakes', () => {
  const app = appInBrowser()

  it(`scrolls a folder of ${OBJECTS.toLocaleString('en-US')} objects to its end`, async () => {
    const { server, browser } = app
    const created = await fetch(`${server.url}/api/v1/volumes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'many' }),
    })
    expect(created.status).toBe(201)
    let next = 0
    const put = async () => {
      while (next < OBJECTS) {
        const key = keyOf(next++)
        const response = await fetch(`${server.url}/api/v1/volumes/many/objects/${key}`, { method: 'PUT', body: key })
        expect(response.status).toBe(201)
      }
    }
    await Promise.all(Array.from({ length: 16 }, put))

    const { page } = browser
    await page.goto(`${server.url}/files/many/`)
    const grid = page.getByRole('grid', { name: 'Contents of many/' })
    await grid.getByText(keyOf(0)).waitFor()
    const status = page.getByRole('status').filter({ hasText: /objects?/ })
    await expect.poll(() => status.textContent()).toMatch(/more as you scroll/)
    for (let round = 0; ; round++) {
      await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight))
      if (await grid.getByText(keyOf(OBJECTS - 1)).isVisible()) break
      expect(round).toBeLessThan(2_000)
      await page.waitForTimeout(25)
    }
    expect(await status.textContent()).toBe(`0 folders, ${OBJECTS.toLocaleString('en-US')} objects`)
    // Virtualised: a screenful of rows in the page, not ten thousand.
    expect(await grid.getByRole('row').count()).toBeLessThan(100)
    await browser.screenshot('files-10000-objects')
    expect(browser.errors).toEqual([])
  })

  it("shows a bad statement's error as the server words it", async () => {
    const { server, browser } = app
    const statement = 'SELECT amount FROM nowhere.missing_table'
    const reference = await fetch(`${server.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: statement }),
    })
    expect(reference.status).toBeGreaterThanOrEqual(400)
    const problem = (await reference.json()) as { detail: string }

    const { page } = browser
    await page.goto(`${server.url}/sql`)
    await page.getByRole('textbox', { name: 'SQL editor' }).click()
    await page.keyboard.insertText(statement)
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toContain(problem.detail)
    await browser.screenshot('sql-error')
    // The failed request is the only error the page reports: nothing broke.
    expect(browser.errors.filter((error) => !/status of 4\d\d/.test(error))).toEqual([])
  })
})
