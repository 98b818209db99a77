import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { api, data } from '../api/client'
import { runQuery } from '../api/query'
import { formatCount } from '../ui/format'
import { renderAt } from '../../test/render'
import { asText, gridText, newNamespace, sql, write } from './testing'

const describeTable = async (ns: string, table: string) =>
  data(await api.GET('/api/v1/namespaces/{ns}/tables/{table}', { params: { path: { ns, table } } }))

/** The schema table's rows as [name, type, nullable, default, comment]. */
const schemaRows = () =>
  within(screen.getByRole('table', { name: 'Columns' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => Array.from(row.querySelectorAll('th, td')).slice(0, 5).map((cell) => cell.textContent?.replace('↳ ', '')))

describe('Tables: the table page', () => {
  it('shows the schema and statistics the API gives, and a preview equal to SQL', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.orders (id BIGINT, city VARCHAR, amount DECIMAL(10,2), labels VARCHAR[])`)
    await write(
      `INSERT INTO ${ns}.orders VALUES (1, 'Oslo', 19.99, ['a', 'b']), (2, NULL, 5, []), (3, 'Ro''ma', NULL, NULL), (4, 'Paris', 0.5, ['x'])`,
    )
    await write(`ALTER TABLE ${ns}.orders ADD COLUMN status VARCHAR DEFAULT 'open'`)
    data(
      await api.PATCH('/api/v1/namespaces/{ns}/tables/{table}', {
        params: { path: { ns, table: 'orders' } },
        body: { comment: 'Orders of the shop', tags: { owner: 'finance' }, columns: { amount: { comment: 'gross, in EUR' } } },
      }),
    )
    const description = await describeTable(ns, 'orders')
    const reference = await sql(`SELECT * FROM ${ns}.orders`)

    renderAt(`/tables/${ns}/orders`)
    expect(await screen.findByRole('heading', { level: 1, name: `${ns}.orders` })).toBeInTheDocument()
    await waitFor(() => expect(schemaRows().length).toBeGreaterThan(0))
    const expected: (string | undefined)[][] = []
    for (const column of description.columns) {
      expected.push([column.name, column.type, column.nullable ? 'yes' : 'no', column.name === 'status' ? 'open' : '—', column.comment ?? '—'])
      for (const child of column.children ?? []) expected.push([child.name, child.type, child.nullable ? 'yes' : 'no', '—', '—'])
    }
    await waitFor(() => expect(schemaRows()).toEqual(expected))
    expect(screen.getByText('Orders of the shop')).toBeInTheDocument()
    expect(within(screen.getByRole('list', { name: 'Tags' })).getByText('owner=finance')).toBeInTheDocument()

    const stats = screen.getByLabelText('Statistics')
    expect(within(stats).getByText('Rows').nextSibling).toHaveTextContent(formatCount(description.row_count))
    expect(within(stats).getByText('Data files').nextSibling).toHaveTextContent(formatCount(description.file_count))
    expect(description.row_count).toBe(reference.rows.length)

    expect(screen.getByRole('link', { name: /Lineage graph/ })).toHaveAttribute(
      'href',
      `/lineage?node=${encodeURIComponent(description.lineage.node_id)}`,
    )
    const sqlLink = screen.getByRole('link', { name: 'Query in SQL' })
    const linked = new URL(sqlLink.getAttribute('href')!, location.origin)
    expect(linked.pathname).toBe('/sql')
    // The linked statement runs and reads the same table.
    expect(asText((await sql(linked.searchParams.get('sql')!)).rows)).toEqual(asText(reference.rows))

    await userEvent.click(screen.getByRole('tab', { name: 'Data' }))
    expect(screen.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true')
    const grid = await screen.findByRole('grid', { name: `Rows of ${ns}.orders` })
    expect(within(grid).getAllByRole('columnheader').map((header) => header.querySelector('.data-grid-name')?.textContent)).toEqual(
      reference.columns.map((column) => column.name),
    )
    expect(gridText(grid)).toEqual(asText(reference.rows))
  })

  it('never asks for more rows than the chosen preview size', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.big AS SELECT range AS n FROM range(2500)`)
    const { router } = renderAt(`/tables/${ns}/big?tab=data`)
    const grid = await screen.findByRole('grid', { name: `Rows of ${ns}.big` })
    expect(grid).toHaveAttribute('aria-rowcount', '101')
    // The row count comes from the table's description, which may arrive after the rows.
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('100 of 2,500 rows shown'))
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Rows to show' }), '1000')
    await waitFor(() => expect(screen.getByRole('grid', { name: `Rows of ${ns}.big` })).toHaveAttribute('aria-rowcount', '1001'))
    expect(router.state.location.search).toContain('rows=1000')
  })

  it('travels in time with ?snapshot=N: schema and rows as of N, and back to the latest', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.t (id BIGINT, name VARCHAR)`)
    const first = await write(`INSERT INTO ${ns}.t VALUES (1, 'one'), (2, 'two'), (3, 'three')`)
    await write(`DELETE FROM ${ns}.t WHERE id = 2`)
    await write(`ALTER TABLE ${ns}.t ADD COLUMN extra INTEGER DEFAULT 7`)
    await write(`INSERT INTO ${ns}.t VALUES (4, 'four', 8)`)
    const old = await sql(`SELECT * FROM ${ns}.t`, first)
    const latest = await sql(`SELECT * FROM ${ns}.t`)
    expect(asText(old.rows)).not.toEqual(asText(latest.rows))

    const { router } = renderAt(`/tables/${ns}/t?snapshot=${first}&tab=data`)
    const banner = await screen.findByText(`as of snapshot ${first}`)
    expect(banner.closest('[role="status"]')).toBeInTheDocument()
    const grid = await screen.findByRole('grid', { name: `Rows of ${ns}.t as of snapshot ${first}` })
    expect(gridText(grid)).toEqual(asText(old.rows))
    await waitFor(() =>
      expect(within(screen.getByLabelText('Statistics')).getByText('Rows').nextSibling).toHaveTextContent(String(old.rows.length)),
    )
    // Read-only: no changes offered on an old snapshot.
    expect(screen.queryByRole('button', { name: 'Load data' })).not.toBeInTheDocument()

    await userEvent.click(screen.getByRole('tab', { name: 'Schema' }))
    expect(router.state.location.search).toContain(`snapshot=${first}`)
    await waitFor(() => expect(schemaRows().map((row) => row[0])).toEqual(old.columns.map((column) => column.name)))
    expect(screen.queryByRole('button', { name: 'Add column' })).not.toBeInTheDocument()

    await userEvent.click(screen.getByRole('link', { name: 'Back to latest' }))
    expect(router.state.location.search).not.toContain('snapshot=')
    await waitFor(() => expect(schemaRows().map((row) => row[0])).toEqual(latest.columns.map((column) => column.name)))
    await userEvent.click(screen.getByRole('tab', { name: 'Data' }))
    expect(gridText(await screen.findByRole('grid', { name: `Rows of ${ns}.t` }))).toEqual(asText(latest.rows))
  })

  it('lists the history and opens the table as of a snapshot from it', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.h (id BIGINT)`)
    const inserted = await write(`INSERT INTO ${ns}.h VALUES (1), (2)`)
    await runQuery({ sql: `UPDATE ${ns}.h SET id = 10 WHERE id = 1`, message: 'fix the first id' })
    const { snapshots } = data(await api.GET('/api/v1/namespaces/{ns}/tables/{table}/snapshots', { params: { path: { ns, table: 'h' } } }))

    const { router } = renderAt(`/tables/${ns}/h?tab=history`)
    const history = await screen.findByRole('table', { name: `Snapshots of ${ns}.h` })
    const rows = within(history).getAllByRole('row').slice(1)
    expect(rows.map((row) => row.querySelector('td')?.textContent)).toEqual(snapshots.map((s) => String(s.snapshot_id)))
    expect(rows.map((row) => row.querySelectorAll('td')[2].textContent)).toEqual(['update', 'insert', 'create'])
    expect(rows[0]).toHaveTextContent('fix the first id')
    expect(rows[0]).toHaveTextContent('anonymous')
    expect(rows[0]).toHaveAttribute('aria-current', 'true')

    await userEvent.click(within(history).getByRole('link', { name: `View as of snapshot ${inserted}` }))
    expect(new URLSearchParams(router.state.location.search).get('snapshot')).toBe(String(inserted))
    const grid = await screen.findByRole('grid', { name: `Rows of ${ns}.h as of snapshot ${inserted}` })
    expect(gridText(grid)).toEqual(['1', '2'])
  })

  it('adds, renames and drops a column with ALTER TABLE', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.s (id BIGINT)`)
    await write(`INSERT INTO ${ns}.s VALUES (1), (2)`)
    renderAt(`/tables/${ns}/s`)

    await userEvent.click(await screen.findByRole('button', { name: 'Add column' }))
    let dialog = screen.getByRole('dialog', { name: 'Add column' })
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Column name' }), 'status')
    const type = within(dialog).getByRole('combobox', { name: /^Type/ })
    await userEvent.clear(type)
    await userEvent.type(type, 'VARCHAR')
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Give it a default' }))
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Default value/ }), "it's open")
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add column' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    await waitFor(() => expect(schemaRows().map((row) => row[0])).toEqual(['id', 'status']))
    expect(schemaRows()[1]).toEqual(['status', 'varchar', 'yes', "it's open", '—'])
    expect((await sql(`SELECT DISTINCT status FROM ${ns}.s`)).rows).toEqual([["it's open"]])

    await userEvent.click(screen.getByRole('button', { name: 'Rename column status' }))
    dialog = screen.getByRole('dialog', { name: 'Rename column status' })
    const newName = within(dialog).getByRole('textbox', { name: 'New name' })
    await userEvent.clear(newName)
    await userEvent.type(newName, 'state')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rename column' }))
    await waitFor(() => expect(schemaRows().map((row) => row[0])).toEqual(['id', 'state']))
    expect((await sql(`SELECT state FROM ${ns}.s`)).rows).toHaveLength(2)

    await userEvent.click(screen.getByRole('button', { name: 'Drop column state' }))
    dialog = screen.getByRole('dialog', { name: 'Drop column state?' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Drop column' }))
    await waitFor(() => expect(schemaRows().map((row) => row[0])).toEqual(['id']))
    expect((await describeTable(ns, 's')).columns.map((column) => column.name)).toEqual(['id'])
  })

  it("shows the server's reason when a change is refused, and keeps the dialog open", async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.e (id BIGINT)`)
    renderAt(`/tables/${ns}/e`)
    await userEvent.click(await screen.findByRole('button', { name: 'Add column' }))
    const dialog = screen.getByRole('dialog', { name: 'Add column' })
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Column name' }), 'broken')
    const type = within(dialog).getByRole('combobox', { name: /^Type/ })
    await userEvent.clear(type)
    await userEvent.type(type, 'NOTATYPE')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add column' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert).toHaveTextContent('Bad Request (400)')
    expect(alert).toHaveTextContent('Type with name NOTATYPE does not exist')
    expect((await describeTable(ns, 'e')).columns.map((column) => column.name)).toEqual(['id'])
  })

  it('edits the comments and tags with one PATCH', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.c (id BIGINT, amount DOUBLE)`)
    data(
      await api.PATCH('/api/v1/namespaces/{ns}/tables/{table}', {
        params: { path: { ns, table: 'c' } },
        body: { tags: { stage: 'raw', pii: 'no' } },
      }),
    )
    const before = data(await api.GET('/api/v1/namespaces/{ns}/tables/{table}/snapshots', { params: { path: { ns, table: 'c' } } }))
    renderAt(`/tables/${ns}/c`)
    await userEvent.click(await screen.findByRole('button', { name: 'Edit comments and tags' }))
    const dialog = screen.getByRole('dialog', { name: 'Edit comments and tags' })
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Table comment' }), 'Cash in')
    const tagNames = [1, 2].map((n) => (within(dialog).getByRole('textbox', { name: `Name of tag ${n}` }) as HTMLInputElement).value)
    expect(tagNames.sort()).toEqual(['pii', 'stage'])
    const stage = (within(dialog).getByRole('textbox', { name: 'Name of tag 1' }) as HTMLInputElement).value === 'stage' ? 1 : 2
    const stageValue = within(dialog).getByRole('textbox', { name: `Value of tag ${stage}` })
    await userEvent.clear(stageValue)
    await userEvent.type(stageValue, 'clean')
    await userEvent.click(within(dialog).getByRole('button', { name: `Remove tag ${3 - stage}` }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add tag' }))
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Name of tag 2' }), 'owner')
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Value of tag 2' }), 'finance')
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Comment on column amount' }), 'in EUR')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())

    const after = await describeTable(ns, 'c')
    expect(after.comment).toBe('Cash in')
    expect(after.tags).toEqual({ stage: 'clean', owner: 'finance' })
    expect(after.columns.map((column) => column.comment)).toEqual([null, 'in EUR'])
    const history = data(await api.GET('/api/v1/namespaces/{ns}/tables/{table}/snapshots', { params: { path: { ns, table: 'c' } } }))
    expect(history.snapshots.length).toBe(before.snapshots.length + 1)
    expect(await screen.findByText('Cash in')).toBeInTheDocument()
    expect(within(screen.getByRole('list', { name: 'Tags' })).getByText('owner=finance')).toBeInTheDocument()
  })

  it('says when a table does not exist', async () => {
    const ns = await newNamespace()
    renderAt(`/tables/${ns}/missing`)
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Not found')
    expect(alert).toHaveTextContent('missing')
  })
})
