// A server that needs tokens: the login screen, a refused token said plainly, and a reader who
// sees no button that could only fail — and whose write, tried anyway, shows the server's 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDucklake, type Ducklake } from '../test/ducklake'
import { openBrowser, type Browser } from './browser'

describe('a reader, with a token', () => {
  let server: Ducklake
  let browser: Browser
  let readerToken = ''

  const admin = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300)
    return response.json()
  }

  beforeAll(async () => {
    server = await startDucklake({ webDir: 'beside-binary', auth: 'token' })
    await admin('POST', '/api/v1/namespaces', { name: 'sales' })
    await admin('POST', '/api/v1/query', { sql: "CREATE TABLE sales.orders AS SELECT 1 AS id, 'Oslo' AS city" })
    await admin('POST', '/api/v1/volumes', { name: 'raw' })
    await admin('PUT', '/api/v1/volumes/raw/objects/notes.txt', 'DuckLake', 'text/plain')
    readerToken = (await admin('POST', '/api/v1/tokens', { user: 'rita', description: 'e2e reader' })).token
    await admin('POST', '/api/v1/grants', { principal: 'rita', role: 'reader', namespace: 'sales' })
    await admin('POST', '/api/v1/grants', { principal: 'rita', role: 'reader', volume: 'raw' })
    browser = await openBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('signs in, sees the lake, and is offered only what a reader may do', async () => {
    const { page } = browser
    await page.goto(`${server.url}/tables/sales/orders`)
    await page.getByRole('heading', { name: 'Sign in to DuckLake' }).waitFor()
    await browser.screenshot('login')
    expect(await browser.accessibilityProblems()).toEqual([])

    await page.getByLabel('Access token').fill('dl_not_a_real_token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').getByText('The server did not accept this token.').waitFor()

    await page.getByLabel('Access token').fill(readerToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'sales.orders' }).waitFor()
    expect(page.url()).toBe(`${server.url}/tables/sales/orders`)
    await page.getByText('rita').first().waitFor()
    // The token is never shown, and is kept for this tab only.
    expect(await page.content()).not.toContain(readerToken)

    // Tables: reading yes, changing no.
    await page.getByRole('tab', { name: 'Schema' }).click()
    await page.getByRole('table', { name: 'Columns' }).waitFor()
    for (const name of ['Load data', 'Drop table', 'Add column', 'Edit comments and tags', 'Drop column id']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0)
    }
    await page.goto(`${server.url}/tables`)
    await page.getByRole('treeitem', { name: 'sales' }).waitFor()
    expect(await page.getByRole('form', { name: 'Create namespace' }).count()).toBe(0)
    await browser.screenshot('tables-reader')

    // Files: browse and preview, no upload, move or delete.
    await page.goto(`${server.url}/files/raw/?object=notes.txt`)
    await page.getByRole('complementary', { name: 'notes.txt' }).waitFor()
    for (const label of ['Upload files', 'Upload folder']) expect(await page.getByLabel(label).count(), label).toBe(0)
    for (const name of ['New folder', 'Move or rename', 'Delete', 'Volume settings', 'Save tags']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0)
    }
    await page.goto(`${server.url}/files`)
    await page.getByRole('link', { name: 'raw' }).first().waitFor()
    expect(await page.getByRole('button', { name: 'New volume' }).count()).toBe(0)
    await browser.screenshot('files-reader')

    // A write typed anyway: the server's refusal, readable.
    await page.goto(`${server.url}/sql`)
    await page.getByRole('textbox', { name: 'SQL editor' }).click()
    await page.keyboard.insertText('DELETE FROM sales.orders')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const refusal = page.getByRole('alert')
    await refusal.getByText("'rita' is not writer of namespace 'sales'").waitFor()
    expect(await refusal.textContent()).toContain('Not allowed')

    // Lineage needs reader on the whole lake: said, not a broken page.
    await page.goto(`${server.url}/lineage`)
    await page.getByText(/reader role on the whole lake/).first().waitFor()
    await browser.screenshot('lineage-reader')

    // Signing out ends it, and what the session ran does not stay for the next user.
    await page.goto(`${server.url}/sql`)
    await page.getByRole('list', { name: 'Query history' }).getByText('DELETE FROM sales.orders').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to DuckLake' }).waitFor()
    await page.getByLabel('Access token').fill(server.adminToken!)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'SQL' }).waitFor()
    expect(await page.getByText('DELETE FROM sales.orders').count()).toBe(0)
    expect(browser.errors.filter((error) => !/status of 40[134]/.test(error))).toEqual([])
  })
})
