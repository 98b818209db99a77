// Saving a result into a volume. The test server runs without authentication, so the caller's
// rights come from a stand-in useCapabilities(): writer on the volumes in `writable` only.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '../api/client'
import type { Capabilities } from '../auth/capabilities'
import { makeVolume, objectBytes } from '../files/fixtures'
import { renderAt } from '../../test/render'
import { makeNamespace, queryBytes, runInEditor, sql, waitForStatus } from './testing'

const session = vi.hoisted(() => ({ writable: new Set<string>() }))

vi.mock('../auth/AuthProvider', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../auth/AuthProvider')>()
  const capabilities: Capabilities = {
    authenticated: true,
    user: 'rita',
    lake: () => false,
    namespace: () => true,
    volume: (name, role) => role === 'reader' || session.writable.has(name),
  }
  return { ...actual, useCapabilities: () => capabilities }
})


async function showSmallResult() {
  renderAt('/sql')
  await runInEditor('SELECT range AS n FROM range(3)')
  await waitForStatus(/^3 rows in/)
}

/** Opens the dialog from the result's export buttons. */
async function openSaveDialog(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await user.click(await screen.findByRole('button', { name: 'Save to volume…' }))
  return screen.getByRole('dialog', { name: 'Save the result to a volume' })
}

/** Holds back every query request until it is aborted; returns their signals. That the server stops
 *  an abandoned export and stores nothing is the HTTP suite's test: these test the dialog's part. */
function holdQueries(): AbortSignal[] {
  const signals: AbortSignal[] = []
  const realFetch = globalThis.fetch
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    if (!(input instanceof Request) || !input.url.endsWith('/api/v1/query')) return realFetch(input, init)
    signals.push(input.signal)
    return new Promise<Response>((_, reject) => input.signal.addEventListener('abort', () => reject(input.signal.reason)))
  })
  return signals
}

afterEach(() => {
  session.writable.clear()
  vi.restoreAllMocks()
})

describe('save to volume', () => {
  it('writes the whole result, read at the snapshot the grid showed, into a volume the caller may write', async () => {
    const user = userEvent.setup()
    const ns = await makeNamespace('sql_save')
    await sql(`CREATE TABLE ${ns}.t (id INTEGER, label VARCHAR)`)
    const [[, before]] = (await sql(`INSERT INTO ${ns}.t SELECT range, 'label ' || range FROM range(3000)`)).rows
    await sql(`DELETE FROM ${ns}.t WHERE id < 100`)
    const readOnly = await makeVolume('sql_ro')
    const target = await makeVolume('sql_save')
    session.writable.add(target)
    const statement = `SELECT * FROM ${ns}.t ORDER BY id`

    const { router } = renderAt(`/sql?sql=${encodeURIComponent(statement)}&snapshot=${before}`)
    await waitForStatus(/^3,000 rows in/)
    const dialog = await openSaveDialog(user)
    const volumes = within(dialog).getByRole('combobox', { name: 'Volume' })
    expect(within(volumes).getAllByRole('option').map((option) => option.textContent)).toEqual([target])
    expect(within(volumes).queryByRole('option', { name: readOnly })).not.toBeInTheDocument()
    const key = within(dialog).getByRole('textbox', { name: 'Key' })
    expect((key as HTMLInputElement).value).toMatch(/^exports\/result-[\d-T]+\.parquet$/)

    // The extension follows the format until the user names the key.
    await user.click(within(dialog).getByRole('radio', { name: 'CSV' }))
    expect((key as HTMLInputElement).value).toMatch(/\.csv$/)
    await user.clear(key)
    await user.type(key, 'kept/rows.csv')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    const link = await screen.findByRole('link', { name: `${target}/kept/rows.csv` })
    expect(link.closest('[role="status"]')).toHaveTextContent(`read at snapshot ${before}`)
    const stored = new TextDecoder().decode(await objectBytes(target, 'kept/rows.csv'))
    expect(stored).toBe(new TextDecoder().decode(await queryBytes({ sql: statement, snapshot: before, format: 'csv' })))
    expect(stored.split('\n')[1]).toBe('0,label 0')

    await user.click(link)
    await waitFor(() => expect(router.state.location.pathname).toBe(`/files/${target}/kept/`))
    expect(router.state.location.search).toBe('?object=kept%2Frows.csv')
  })

  it("shows the server's refusal in the dialog, and stores nothing", async () => {
    const user = userEvent.setup()
    const target = await makeVolume('sql_bad_key')
    session.writable.add(target)
    await showSmallResult()
    const dialog = await openSaveDialog(user)
    const key = within(dialog).getByRole('textbox', { name: 'Key' })
    await user.clear(key)
    await user.type(key, '../outside.parquet')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/key/i)
    const listing = await api.GET('/api/v1/volumes/{vol}/objects', { params: { path: { vol: target } } })
    expect(listing.data?.objects).toEqual([])
  })

  it('stops a save under way, which then stores nothing', async () => {
    const user = userEvent.setup()
    const target = await makeVolume('sql_stop')
    session.writable.add(target)
    await showSmallResult()
    const signals = holdQueries()
    const dialog = await openSaveDialog(user)
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(within(dialog).getByRole('button', { name: 'Saving…' })).toBeDisabled()
    await user.click(within(dialog).getByRole('button', { name: 'Stop saving' }))
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Cancelled: nothing was saved.')
    expect(signals).toHaveLength(1)
    expect(signals[0].aborted).toBe(true)
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled()
    vi.restoreAllMocks()
    const listing = await api.GET('/api/v1/volumes/{vol}/objects', { params: { path: { vol: target } } })
    expect(listing.data?.objects).toEqual([])
  })

  it('stops the save when the dialog is closed', async () => {
    const user = userEvent.setup()
    session.writable.add(await makeVolume('sql_close'))
    await showSmallResult()
    const signals = holdQueries()
    const dialog = await openSaveDialog(user)
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(signals).toHaveLength(1))
    within(dialog).getByRole('button', { name: 'Stop saving' }).focus()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(signals[0].aborted).toBe(true)
  })

  it('is not offered to a caller who may write no volume', async () => {
    await makeVolume('sql_none')
    renderAt('/sql')
    await runInEditor('SELECT 1 AS one')
    await waitForStatus(/^1 row in/)
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Save to volume…' })).not.toBeInTheDocument()
  })
})
