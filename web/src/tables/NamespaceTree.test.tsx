import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { api, ApiError } from '../api/client'
import { renderAt, uniqueName } from '../../test/render'
import { newNamespace, write } from './testing'

describe('Tables: namespaces', () => {
  it('shows the namespaces in a tree that opens onto their tables, by mouse and keyboard', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.alpha (id BIGINT)`)
    await write(`CREATE TABLE ${ns}.beta (id BIGINT)`)
    const { router } = renderAt('/tables')

    const tree = await screen.findByRole('tree', { name: 'Namespaces and tables' })
    const item = await within(tree).findByRole('treeitem', { name: ns })
    expect(item).toHaveAttribute('aria-expanded', 'false')
    // The page lists the namespace too, with its table count.
    const list = screen.getByRole('table', { name: 'Namespaces' })
    const row = within(list).getByRole('link', { name: ns }).closest('tr')!
    expect(row).toHaveTextContent('2')

    await userEvent.click(item)
    expect(await screen.findByRole('heading', { level: 1, name: ns })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe(`/tables/${ns}`)
    expect(item).toHaveAttribute('aria-expanded', 'true')
    expect(item).toHaveAttribute('aria-selected', 'true')
    const tables = screen.getByRole('table', { name: `Tables in ${ns}` })
    expect(within(tables).getAllByRole('link').map((link) => link.textContent)).toEqual(['alpha', 'beta'])

    // Keyboard: down to the first table, down again, Enter opens it; Left goes back up.
    await within(item).findByRole('treeitem', { name: 'alpha' })
    item.focus()
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}')
    expect(await screen.findByRole('heading', { level: 1, name: `${ns}.beta` })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe(`/tables/${ns}/beta`)
    const beta = within(screen.getByRole('tree')).getByRole('treeitem', { name: 'beta' })
    expect(beta).toHaveAttribute('aria-selected', 'true')
    expect(beta).toHaveFocus()
    await userEvent.keyboard('{ArrowLeft}')
    expect(within(screen.getByRole('tree')).getByRole('treeitem', { name: ns })).toHaveFocus()
    await userEvent.keyboard('{ArrowLeft}')
    expect(within(screen.getByRole('tree')).getByRole('treeitem', { name: ns })).toHaveAttribute('aria-expanded', 'false')
    expect(within(screen.getByRole('tree')).queryByRole('treeitem', { name: 'beta' })).not.toBeInTheDocument()
  })

  it('creates a namespace, refusing a bad name before asking the server', async () => {
    const name = uniqueName('made')
    const { router } = renderAt('/tables')
    const form = await screen.findByRole('form', { name: 'Create namespace' })
    const input = within(form).getByRole('textbox', { name: 'Namespace name' })

    await userEvent.type(input, '9lives')
    await userEvent.click(within(form).getByRole('button', { name: 'Create namespace' }))
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(form).toHaveTextContent('not starting with a digit')
    expect(router.state.location.pathname).toBe('/tables')

    await userEvent.clear(input)
    await userEvent.type(input, name)
    await userEvent.click(within(form).getByRole('button', { name: 'Create namespace' }))
    expect(await screen.findByRole('heading', { level: 1, name })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe(`/tables/${name}`)
    const tree = screen.getByRole('tree', { name: 'Namespaces and tables' })
    expect(await within(tree).findByRole('treeitem', { name })).toBeInTheDocument()
    const { data } = await api.GET('/api/v1/namespaces/{ns}', { params: { path: { ns: name } } })
    expect(data?.table_count).toBe(0)
  })

  it('shows the server refusing a namespace that exists', async () => {
    const ns = await newNamespace()
    renderAt('/tables')
    const form = await screen.findByRole('form', { name: 'Create namespace' })
    await userEvent.type(within(form).getByRole('textbox', { name: 'Namespace name' }), ns)
    await userEvent.click(within(form).getByRole('button', { name: 'Create namespace' }))
    const alert = await within(form).findByRole('alert')
    expect(alert).toHaveTextContent('(409)')
    expect(alert).toHaveTextContent(ns)
  })

  it('drops a namespace after confirming, and says why one with tables cannot go', async () => {
    const full = await newNamespace()
    await write(`CREATE TABLE ${full}.kept (id BIGINT)`)
    const first = renderAt(`/tables/${full}`)
    await userEvent.click(await screen.findByRole('button', { name: 'Drop namespace' }))
    let dialog = screen.getByRole('dialog', { name: `Drop namespace ${full}?` })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Drop namespace' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('(409)')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    first.unmount()

    const empty = await newNamespace()
    const { router } = renderAt(`/tables/${empty}`)
    await userEvent.click(await screen.findByRole('button', { name: 'Drop namespace' }))
    dialog = screen.getByRole('dialog', { name: `Drop namespace ${empty}?` })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Drop namespace' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/tables'))
    const gone = await api.GET('/api/v1/namespaces/{ns}', { params: { path: { ns: empty } } }).catch((error) => error)
    expect(gone).toBeInstanceOf(ApiError)
    expect((gone as ApiError).status).toBe(404)
  })
})
