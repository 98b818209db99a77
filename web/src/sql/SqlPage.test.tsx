import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode } from 'react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { makeQueryClient, routes } from '../App'
import { AuthProvider } from '../auth/AuthProvider'
import { formatCell } from '../ui/format'
import { renderAt } from '../../test/render'
import { editorView, gridRows, makeNamespace, runInEditor, setEditorText, sql, status, statusSnapshot, waitForStatus } from './testing'

describe('SQL page', () => {
  it('runs a statement and shows the rows the API returns, NULLs and nested values included', async () => {
    const ns = await makeNamespace('sql_rows')
    await sql(
      `CREATE TABLE ${ns}.t (id INTEGER, name VARCHAR, tags VARCHAR[], point STRUCT(x DOUBLE, y DOUBLE), attrs MAP(VARCHAR, INTEGER), big UBIGINT, price DECIMAL(10,2))`,
      `INSERT INTO ${ns}.t VALUES
         (1, 'plain', ['a', 'b'], {'x': 1.5, 'y': -2}, MAP {'k': 1}, 18446744073709551615, 12.34),
         (2, NULL, NULL, NULL, NULL, NULL, NULL),
         (3, 'quote " and \\ and é 😀', [], {'x': NULL, 'y': 0}, MAP {}, 0, -0.01),
         (4, '', [NULL, 'z'], {'x': 3, 'y': 4}, MAP {'a': NULL, 'b': 2}, 9007199254740993, 99999999.99)`,
    )
    const statement = `SELECT * FROM ${ns}.t ORDER BY id`
    const reference = await sql(statement)

    renderAt('/sql')
    await runInEditor(statement)
    await waitForStatus(/^4 rows in/)

    const grid = screen.getByRole('grid', { name: 'Query result' })
    expect(within(grid).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(
      reference.columns.map((column) => `${column.name}${column.type}`),
    )
    expect(gridRows()).toEqual(reference.rows.map((row) => row.map(formatCell)))
    expect(gridRows()[1][1]).toBe('NULL')
  })

  it('runs with Ctrl+Enter from the editor', async () => {
    renderAt('/sql')
    const view = await editorView()
    await setEditorText('SELECT 41 + 1 AS answer')
    view.focus()
    await userEvent.keyboard('{Control>}{Enter}{/Control}')
    await waitForStatus(/^1 row in/)
    expect(gridRows()).toEqual([['42']])
  })

  it('runs only the selected text when there is a selection', async () => {
    renderAt('/sql')
    const view = await editorView()
    const text = 'SELECT 1 AS first;\nSELECT 2 AS second;'
    await setEditorText(text)
    view.dispatch({ selection: { anchor: text.indexOf('SELECT 2'), head: text.length - 1 } })
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    await waitForStatus(/^1 row in/)
    expect(within(screen.getByRole('grid', { name: 'Query result' })).getByRole('columnheader')).toHaveTextContent('second')
    expect(gridRows()).toEqual([['2']])
  })

  it('shows the server’s detail for a statement it refuses, next to the editor', async () => {
    renderAt('/sql')
    await runInEditor('SELEC 1')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(/Bad Request \(400\)/)
    expect(alert).toHaveTextContent(/syntax error at or near "SELEC"/)
    expect(status()).toHaveTextContent(/^Failed after/)

    await runInEditor("SELECT * FROM read_csv('/etc/passwd')")
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/Not allowed/))

    await userEvent.type(screen.getByRole('textbox', { name: 'Snapshot' }), '999999999')
    await runInEditor('SELECT 1')
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/Not found.*snapshot 999999999 not found/))
    expect(screen.getByRole('heading', { name: 'SQL' })).toBeInTheDocument()
  })

  it('shows a write’s count and snapshot, and does not run a write from a link', async () => {
    const ns = await makeNamespace('sql_write')
    await sql(`CREATE TABLE ${ns}.t (id INTEGER)`)
    const insert = `INSERT INTO ${ns}.t VALUES (1), (2), (3)`
    const { router } = renderAt(`/sql?sql=${encodeURIComponent(insert)}`)
    const view = await editorView()
    await waitFor(() => expect(view.state.doc.toString()).toBe(insert))
    expect(status().textContent).toBe('')
    expect((await sql(`SELECT count(*) FROM ${ns}.t`)).rows).toEqual([[0]])

    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    await waitForStatus(/^Wrote 3 rows · snapshot \d+/)
    const [[written, snapshot]] = gridRows()
    expect(written).toBe('3')
    expect(status()).toHaveTextContent(`snapshot ${snapshot}`)
    expect((await sql(`SELECT count(*) FROM ${ns}.t`)).rows).toEqual([[3]])
    expect(screen.queryByRole('button', { name: 'Export CSV' })).not.toBeInTheDocument()
    expect(new URLSearchParams(router.state.location.search).get('sql')).toBe(insert)
  })

  it('reads as of the snapshot in the URL and says so', async () => {
    const ns = await makeNamespace('sql_travel')
    await sql(`CREATE TABLE ${ns}.t (id INTEGER, label VARCHAR)`)
    const [[, before]] = (await sql(`INSERT INTO ${ns}.t VALUES (1, 'old')`)).rows
    const [[, latest]] = (await sql(`UPDATE ${ns}.t SET label = 'new'`, `INSERT INTO ${ns}.t VALUES (2, 'added')`)).rows
    const statement = `SELECT id, label FROM ${ns}.t ORDER BY id`

    const { router } = renderAt(`/sql?sql=${encodeURIComponent(statement)}&snapshot=${before}`)
    await waitForStatus(new RegExp(`^1 row in .* read at snapshot ${before}$`))
    expect(gridRows()).toEqual([['1', 'old']])
    expect(screen.getByRole('textbox', { name: 'Snapshot' })).toHaveValue(String(before))

    await userEvent.clear(screen.getByRole('textbox', { name: 'Snapshot' }))
    expect(new URLSearchParams(router.state.location.search).has('snapshot')).toBe(false)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    // The latest, which the server names.
    await waitForStatus(/^2 rows in .* read at snapshot \d+$/)
    expect(statusSnapshot()).toBeGreaterThanOrEqual(Number(latest))
    expect(gridRows()).toEqual([
      ['1', 'new'],
      ['2', 'added'],
    ])
  })

  it('refuses a snapshot that is not a number before asking the server', async () => {
    renderAt('/sql?snapshot=-3')
    await setEditorText('SELECT 1')
    expect(screen.getByRole('textbox', { name: 'Snapshot' })).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText(/A snapshot is a whole number/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Run' })).toBeDisabled()
  })

  it('runs a shared query once it opens, also under StrictMode’s mount, unmount and mount again', async () => {
    const router = createMemoryRouter(routes, { initialEntries: [`/sql?sql=${encodeURIComponent('SELECT 6 * 7 AS answer')}`] })
    render(
      <StrictMode>
        <QueryClientProvider client={makeQueryClient()}>
          <AuthProvider>
            <RouterProvider router={router} />
          </AuthProvider>
        </QueryClientProvider>
      </StrictMode>,
    )
    await waitForStatus(/^1 row in/)
    expect(gridRows()).toEqual([['42']])
    expect((await editorView()).state.doc.toString()).toBe('SELECT 6 * 7 AS answer')
  })
})
