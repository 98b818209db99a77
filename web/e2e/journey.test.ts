// A user's first hour with DuckLake, in Chromium against a real server serving the built app:
// upload a CSV and a folder → browse → preview → load into a table → query → chart → the load in
// the lineage graph → time travel to the previous snapshot → the diff. Every step's result is
// checked against the API (the reference), and each page is kept as a screenshot.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDucklake, type Ducklake } from '../test/ducklake'
import { openBrowser, type Browser } from './browser'

const ORDERS = 'order_id,city,amount\n1,Oslo,12.5\n2,Paris,7.25\n3,Rome,30\n4,Oslo,4.75\n5,Lima,18\n'

describe('the journey from a CSV to its lineage', () => {
  let server: Ducklake
  let browser: Browser
  let scratch: string

  const query = async (sql: string, snapshot?: number) => {
    const response = await fetch(`${server.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql, snapshot }),
    })
    expect(response.status, `${sql}: ${await response.clone().text()}`).toBe(200)
    return (await response.json()) as { columns: { name: string }[]; rows: unknown[][] }
  }

  beforeAll(async () => {
    server = await startDucklake({ webDir: 'beside-binary' })
    browser = await openBrowser()
    scratch = mkdtempSync(join(tmpdir(), 'ducklake-e2e-'))
    mkdirSync(join(scratch, 'reports', '2026'), { recursive: true })
    writeFileSync(join(scratch, 'reports', 'summary.txt'), 'DuckLake report\n')
    writeFileSync(join(scratch, 'reports', '2026', 'q4.json'), '[{"quarter":4,"revenue":72.5}]\n')
  })
  // Each page the journey passes: kept as a screenshot, and checked with axe-core.
  const keep = async (name: string) => {
    await browser.screenshot(name)
    expect(await browser.accessibilityProblems(), name).toEqual([])
  }

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('walks from upload to diff', async () => {
    const { page } = browser

    // A volume, made from the Files page.
    await page.goto(`${server.url}/files`)
    await page.getByRole('button', { name: 'New volume' }).click()
    const create = page.getByRole('dialog', { name: 'Create a volume' })
    await create.getByLabel('Name').fill('landing')
    await create.getByRole('button', { name: 'Create volume' }).click()
    await page.waitForURL(`${server.url}/files/landing/`)

    // A CSV dropped on the page, and a folder picked.
    const drop = await page.evaluateHandle((csv) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([csv], 'orders.csv', { type: 'text/csv' }))
      return transfer
    }, ORDERS)
    await page.locator('.files-drop').dispatchEvent('dragenter', { dataTransfer: drop })
    await page.locator('.files-drop').dispatchEvent('drop', { dataTransfer: drop })
    await page.getByLabel('Upload folder').setInputFiles(join(scratch, 'reports'))
    const uploads = page.getByRole('list', { name: 'Files being uploaded' })
    await expect.poll(async () => uploads.getByText('Uploaded').count(), { timeout: 30_000 }).toBe(3)
    const listing = await (await fetch(`${server.url}/api/v1/volumes/landing/objects`)).json()
    expect(listing.objects.map((object: { key: string }) => object.key).sort()).toEqual([
      'orders.csv',
      'reports/2026/q4.json',
      'reports/summary.txt',
    ])
    await keep('files-volume')

    // Browse into the folder and back.
    const contents = page.getByRole('grid', { name: /Contents of landing/ })
    await contents.getByText('reports/').first().dblclick()
    await page.waitForURL(`${server.url}/files/landing/reports/`)
    await page.getByRole('grid', { name: /Contents of landing\/reports/ }).getByText('summary.txt').waitFor()
    await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'landing' }).click()
    await page.waitForURL(`${server.url}/files/landing/`)

    // Preview the CSV as a table.
    await page.getByRole('grid', { name: /Contents of landing/ }).getByText('orders.csv').click()
    const detail = page.getByRole('complementary', { name: 'orders.csv' })
    await detail.getByRole('gridcell', { name: 'Paris' }).waitFor()
    await keep('files-preview')

    // A namespace to load into, then "Load into table" from the object.
    await page.goto(`${server.url}/tables`)
    const form = page.getByRole('form', { name: 'Create namespace' })
    await form.getByRole('textbox', { name: 'Namespace name' }).fill('sales')
    await form.getByRole('button', { name: 'Create namespace' }).click()
    await page.getByRole('treeitem', { name: 'sales' }).waitFor()
    await page.goto(`${server.url}/files/landing/?object=orders.csv`)
    await page.getByRole('link', { name: 'Load into table' }).click()
    const wizard = page.getByRole('dialog', { name: 'Load data into a table' })
    await wizard.getByRole('combobox', { name: 'Namespace' }).selectOption('sales')
    await wizard.getByRole('textbox', { name: 'New table name' }).fill('orders')
    await wizard.getByRole('button', { name: 'Preview' }).click()
    await wizard.getByRole('table', { name: 'Columns in the file' }).waitFor()
    await keep('tables-ingest-preview')
    await wizard.getByRole('button', { name: 'Create table' }).click()
    await page.waitForURL(`${server.url}/tables/sales/orders`)
    await page.getByRole('heading', { level: 1, name: 'sales.orders' }).waitFor()
    expect((await query('SELECT count(*) FROM sales.orders')).rows).toEqual([[5]])
    await keep('tables-table')

    // Query it from the table page's link, in the SQL page.
    await page.getByRole('link', { name: 'Query in SQL' }).click()
    await page.waitForURL(/\/sql\?/)
    const editor = page.getByRole('textbox', { name: 'SQL editor' })
    await editor.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.insertText('SELECT city, sum(amount) AS total FROM sales.orders GROUP BY city ORDER BY city')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const result = page.getByRole('grid', { name: 'Query result' })
    await result.getByRole('gridcell', { name: 'Lima' }).waitFor()
    const reference = await query('SELECT city, sum(amount) AS total FROM sales.orders GROUP BY city ORDER BY city')
    const cells = await result.getByRole('gridcell').allTextContents()
    expect(cells).toEqual(reference.rows.flat().map(String))
    await keep('sql-result')

    // A chart of the result.
    await page.getByRole('tab', { name: 'Chart' }).click()
    await page.getByRole('combobox', { name: 'Chart type' }).selectOption('bar')
    await page.getByRole('combobox', { name: 'X axis' }).selectOption('city')
    await expect.poll(() => page.getByRole('img', { name: /chart of total by city, 4 points/i }).count()).toBe(1)
    await keep('sql-chart')

    // The load in the lineage graph: the object feeds the job that wrote the table.
    await page.goto(`${server.url}/tables/sales/orders`)
    await page.getByRole('link', { name: /^Lineage graph/ }).click()
    await page.waitForURL(/\/lineage\?node=/)
    const nodes = page.getByRole('list', { name: 'Lineage nodes' })
    await nodes.getByRole('button', { name: /^Table sales\.orders/ }).waitFor()
    await nodes.getByRole('button', { name: /^Object landing\/orders\.csv/ }).waitFor()
    expect(await nodes.getByRole('button', { name: /^Job / }).count()).toBeGreaterThan(0)
    await keep('lineage-graph')

    // A change, then the table as it was before it, then the diff.
    const before = ((await (await fetch(`${server.url}/api/v1/namespaces/sales/tables/orders`)).json()) as {
      snapshot_id: number
    }).snapshot_id
    await query("UPDATE sales.orders SET amount = amount + 1 WHERE city = 'Oslo'")
    await query('DELETE FROM sales.orders WHERE order_id = 2')
    await page.goto(`${server.url}/tables/sales/orders?snapshot=${before}&tab=data`)
    const old = page.getByRole('grid', { name: `Rows of sales.orders as of snapshot ${before}` })
    await old.getByRole('gridcell', { name: 'Paris' }).waitFor()
    expect(await old.getByRole('row').count()).toBe(1 + 5)
    await keep('tables-time-travel')

    await page.goto(`${server.url}/tables/sales/orders?tab=changes&from=${before}`)
    const counts = page.getByRole('list', { name: 'Change counts' })
    await counts.getByText('Deleted: 1').waitFor()
    await counts.getByText('Updated: 2').waitFor()
    await keep('tables-diff')

    expect(browser.errors).toEqual([])
  })
})
