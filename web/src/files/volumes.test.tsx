import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { api, data } from '../api/client'
import { renderAt, uniqueName } from '../../test/render'
import { makeVolume, putObject } from './fixtures'

describe('Files: volumes', () => {
  it('lists the volumes with their object count and size', async () => {
    const volume = await makeVolume('listed')
    await putObject(volume, 'a.txt', 'hello')
    await putObject(volume, 'dir/b.txt', 'world!')
    renderAt('/files')

    const table = await screen.findByRole('table', { name: 'Volumes' })
    const link = await within(table).findByRole('link', { name: volume })
    expect(link).toHaveAttribute('href', `/files/${volume}/`)
    const row = link.closest('tr')!
    // 2 objects, 11 bytes: from GET /volumes/{vol}
    await waitFor(() => expect(within(row).getAllByRole('cell')[1]).toHaveTextContent('2'))
    expect(within(row).getAllByRole('cell')[2]).toHaveTextContent('11 B')
  })

  it('creates a volume and opens it', async () => {
    const user = userEvent.setup()
    const name = uniqueName('made').toLowerCase()
    const { router } = renderAt('/files')

    await user.click(await screen.findByRole('button', { name: 'New volume' }))
    const dialog = screen.getByRole('dialog', { name: 'Create a volume' })
    await user.type(within(dialog).getByLabelText('Name'), name)
    await user.type(within(dialog).getByLabelText('Description'), 'made by a test')
    await user.click(within(dialog).getByRole('button', { name: 'Create volume' }))

    expect(await screen.findByRole('heading', { level: 1, name })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe(`/files/${name}/`)
    const created = data(await api.GET('/api/v1/volumes/{vol}', { params: { path: { vol: name } } }))
    expect(created.description).toBe('made by a test')
    expect(created.object_count).toBe(0)
    expect(await screen.findByText(/This folder is empty/)).toBeInTheDocument()
  })

  it('shows why a volume could not be created', async () => {
    const user = userEvent.setup()
    const existing = await makeVolume('taken')
    renderAt('/files')

    await user.click(await screen.findByRole('button', { name: 'New volume' }))
    const dialog = screen.getByRole('dialog', { name: 'Create a volume' })
    await user.type(within(dialog).getByLabelText('Name'), existing)
    await user.click(within(dialog).getByRole('button', { name: 'Create volume' }))

    const alert = await within(dialog).findByRole('alert')
    expect(alert).toHaveTextContent(`volume '${existing}' already exists`)
    expect(screen.getByRole('dialog', { name: 'Create a volume' })).toBeInTheDocument()
  })

  it("shows the server's problem for a bad volume name", async () => {
    renderAt('/files/Not_A_Volume!/')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(/volume name must be 1 to 63 characters/)
    expect(screen.queryByRole('grid')).not.toBeInTheDocument()
  })

  it('changes the settings of a volume and deletes it with its objects', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('admin')
    await putObject(volume, 'keep.txt', 'data')
    const { router } = renderAt(`/files/${volume}/`)

    await user.click(await screen.findByRole('button', { name: 'Volume settings' }))
    let dialog = screen.getByRole('dialog', { name: `Settings of ${volume}` })
    const description = within(dialog).getByLabelText('Description')
    await user.clear(description)
    await user.type(description, 'landing zone')
    await user.click(within(dialog).getByRole('button', { name: 'Add tag' }))
    await user.type(within(dialog).getByLabelText('Name of tag 1'), 'team')
    await user.type(within(dialog).getByLabelText('Value of tag 1'), 'ingest')
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    const changed = data(await api.GET('/api/v1/volumes/{vol}', { params: { path: { vol: volume } } }))
    expect(changed.description).toBe('landing zone')
    expect(changed.tags).toEqual({ team: 'ingest' })

    await user.click(screen.getByRole('button', { name: 'Volume settings' }))
    await user.click(screen.getByRole('button', { name: 'Delete volume…' }))
    dialog = screen.getByRole('dialog', { name: `Delete volume ${volume}` })
    const confirm = within(dialog).getByRole('button', { name: 'Delete volume' })
    expect(confirm).toBeDisabled() // it holds an object: deleting needs the box ticked
    await user.click(within(dialog).getByRole('checkbox', { name: /Also delete its 1 objects/ }))
    await user.click(confirm)

    await waitFor(() => expect(router.state.location.pathname).toBe('/files'))
    const after = await api.GET('/api/v1/volumes/{vol}', { params: { path: { vol: volume } } }).catch((error) => error)
    expect(after.status).toBe(404)
  })
})
