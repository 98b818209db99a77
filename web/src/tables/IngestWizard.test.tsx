import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { api, data, encodeKey, rawFetch } from '../api/client'
import { renderAt, uniqueName } from '../../test/render'
import { formatBytes } from '../ui/format'
import { asText, gridText, newNamespace, sql, write } from './testing'

async function putObject(volume: string, key: string, body: string, contentType: string) {
  await rawFetch(`/api/v1/volumes/${volume}/objects/${encodeKey(key)}`, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': contentType },
  })
}

const count = async (ns: string, table: string) => Number((await sql(`SELECT count(*) FROM ${ns}.${table}`)).rows[0][0])

describe('Tables: loading data', () => {
  it('loads a volume object chosen by the URL into a new table, after a dry-run preview', async () => {
    const ns = await newNamespace()
    const volume = uniqueName('drops')
    data(await api.POST('/api/v1/volumes', { body: { name: volume } }))
    const key = '2026/11/orders & co.csv'
    const csv = 'order_id;city;day\n1;Oslo;2026-11-01\n2;Paris;2026-11-02\n3;Rome;\n'
    await putObject(volume, key, csv, 'text/csv')

    const { router } = renderAt(`/tables?ingest=1&volume=${volume}&key=${encodeURIComponent(key)}`)
    const dialog = await screen.findByRole('dialog', { name: 'Load data into a table' })
    expect(within(dialog).getByRole('radio', { name: 'An object in a volume' })).toBeChecked()
    expect(within(dialog).getByRole('combobox', { name: 'Volume' })).toHaveValue(volume)
    expect(within(dialog).getByText(`${volume}/${key}`)).toBeInTheDocument()
    // The object is listed in its folder, and selected.
    expect(await within(dialog).findByRole('radio', { name: /orders & co\.csv/ })).toBeChecked()
    expect(within(dialog).getByRole('textbox', { name: 'New table name' })).toHaveValue('orders_co')
    expect(within(dialog).getByRole('button', { name: 'Create table' })).toBeDisabled()

    await waitFor(() => expect(within(dialog).getAllByRole('option', { name: ns })).toHaveLength(1))
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Namespace' }), ns)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))

    const columns = await within(dialog).findByRole('table', { name: 'Columns in the file' })
    expect(within(columns).getAllByRole('row').slice(1).map((row) => row.textContent)).toEqual([
      'order_idBIGINT',
      'cityVARCHAR',
      'dayDATE',
    ])
    expect(within(dialog).getByLabelText('Detected dialect')).toHaveTextContent('Delimiter;')
    expect(within(dialog).getByRole('status')).toHaveTextContent('A new table is created')
    expect(gridText(within(dialog).getByRole('grid', { name: 'First rows of the file' }))).toEqual([
      '1 | Oslo | 2026-11-01',
      '2 | Paris | 2026-11-02',
      '3 | Rome | NULL',
    ])
    // A dry run writes nothing.
    const before = data(await api.GET('/api/v1/namespaces/{ns}/tables', { params: { path: { ns } } }))
    expect(before.tables).toEqual([])

    await userEvent.click(within(dialog).getByRole('button', { name: 'Create table' }))
    expect(await screen.findByRole('heading', { level: 1, name: `${ns}.orders_co` })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe(`/tables/${ns}/orders_co`)
    expect(router.state.location.search).toBe('')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    const rows = await count(ns, 'orders_co')
    expect(rows).toBe(3)
    expect(screen.getByText(/Created the table with 3 rows/)).toBeInTheDocument()
  })

  it('uploads a local file with reader options from a namespace page, then appends from the table page', async () => {
    const ns = await newNamespace()
    const headerless = new File(['7|seven\n8|eight\n'], 'numbers.csv', { type: 'text/csv' })
    const first = renderAt(`/tables/${ns}?ingest=1`)
    let dialog = await screen.findByRole('dialog', { name: 'Load data into a table' })
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'Namespace' })).toHaveValue(ns))
    await userEvent.upload(within(dialog).getByLabelText('File'), headerless)
    expect(within(dialog).getByRole('textbox', { name: 'New table name' })).toHaveValue('numbers')
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Header row' }), 'false')
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Delimiter' }), '|')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    const columns = await within(dialog).findByRole('table', { name: 'Columns in the file' })
    expect(within(columns).getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['column0', 'column1'])
    expect(gridText(within(dialog).getByRole('grid', { name: 'First rows of the file' }))).toEqual(['7 | seven', '8 | eight'])

    // Changing an option after the preview asks for a new one before loading.
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Header row' }), '')
    expect(within(dialog).getByRole('button', { name: 'Create table' })).toBeDisabled()
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Header row' }), 'false')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Create table' })).toBeEnabled())
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create table' }))
    expect(await screen.findByRole('heading', { level: 1, name: `${ns}.numbers` })).toBeInTheDocument()
    expect(asText((await sql(`SELECT * FROM ${ns}.numbers`)).rows)).toEqual(['7 | seven', '8 | eight'])
    first.unmount()

    const more = new File(['column0,column1\n9,nine\n'], 'more.csv', { type: 'text/csv' })
    renderAt(`/tables/${ns}/numbers?ingest=1`)
    dialog = await screen.findByRole('dialog', { name: 'Load data into a table' })
    expect(within(dialog).getByRole('radio', { name: 'Append to a table' })).toBeChecked()
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'Table' })).toHaveValue('numbers'))
    await userEvent.upload(within(dialog).getByLabelText('File'), more)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    expect(await within(dialog).findByText(/matched to the table's by name/)).toBeInTheDocument()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Append rows' }))
    expect(await screen.findByText(/Loaded 1 row/)).toBeInTheDocument()
    expect(await count(ns, 'numbers')).toBe(3)
  })

  it("shows the server's reason when the file does not fit the table, and loads nothing", async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.strict (id BIGINT)`)
    renderAt(`/tables/${ns}/strict?ingest=1`)
    const dialog = await screen.findByRole('dialog', { name: 'Load data into a table' })
    await userEvent.upload(within(dialog).getByLabelText('File'), new File(['id,surprise\n1,2\n'], 'odd.csv', { type: 'text/csv' }))
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'Table' })).toHaveValue('strict'))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert).toHaveTextContent('Bad Request (400)')
    expect(alert).toHaveTextContent("the table has no column 'surprise'")
    expect(within(dialog).getByRole('button', { name: 'Append rows' })).toBeDisabled()
    expect(await count(ns, 'strict')).toBe(0)
  })

  it('refuses to create a table over one that exists, and closes without loading', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.taken (id BIGINT)`)
    const { router } = renderAt(`/tables/${ns}?ingest=1`)
    const dialog = await screen.findByRole('dialog', { name: 'Load data into a table' })
    await userEvent.upload(within(dialog).getByLabelText('File'), new File(['id\n1\n'], 'taken.csv', { type: 'text/csv' }))
    await waitFor(() => expect(within(dialog).getByText(`${ns}.taken already exists: append to it or replace its rows instead.`)).toBeInTheDocument())
    expect(within(dialog).getByRole('button', { name: 'Preview' })).toBeDisabled()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(router.state.location.search).toBe('')
    expect(await count(ns, 'taken')).toBe(0)
  })

  it('shows how much of a local file has been sent, and Cancel upload stops sending it', async () => {
    const ns = await newNamespace()
    // Some MiB of JSON: its preview sends it whole, and the load takes long enough to cancel.
    const rows = Array.from({ length: 300_000 }, (_, id) => `{"id":${id},"name":"row number ${id}"}`)
    const file = new File([`[${rows.join(',\n')}]`], 'big.json', { type: 'application/json' })
    renderAt(`/tables/${ns}?ingest=1`)
    const dialog = await screen.findByRole('dialog', { name: 'Load data into a table' })
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'Namespace' })).toHaveValue(ns))
    await userEvent.upload(within(dialog).getByLabelText('File'), file)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Create table' })).toBeEnabled(), { timeout: 10_000 })

    const abort = vi.spyOn(XMLHttpRequest.prototype, 'abort')
    try {
      await userEvent.click(within(dialog).getByRole('button', { name: 'Create table' }))
      const bar = await within(dialog).findByRole('progressbar', { name: 'Uploading big.json' })
      expect(bar).toHaveAttribute('max', String(file.size))
      expect(Number(bar.getAttribute('value'))).toBeLessThanOrEqual(file.size)
      expect(within(dialog).getByText(new RegExp(`of ${formatBytes(file.size)}$`))).toBeInTheDocument()

      await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel upload' }))
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      expect(abort).toHaveBeenCalledTimes(1)
    } finally {
      abort.mockRestore()
    }
  }, 30_000)
})
