import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { findObject, makeVolume, putObject } from './fixtures'

const CSV = 'order_id,amount\n1,19.99\n2,5.5\n'

describe('Files: an object', () => {
  it('opens from the listing with its facts, a table preview and its links', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('detail')
    await putObject(volume, '2026/11/orders.csv', CSV)
    const { router } = renderAt(`/files/${volume}/2026/11/`)

    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/2026/11/` })
    await user.click(await within(grid).findByRole('link', { name: 'orders.csv' }))
    expect(router.state.location.search).toBe('?object=2026%2F11%2Forders.csv')

    const detail = await screen.findByRole('complementary', { name: 'orders.csv' })
    expect(await within(detail).findByText('text/csv')).toBeInTheDocument()
    expect(within(detail).getByText('anonymous')).toBeInTheDocument()
    expect(within(detail).getByText('Uploaded')).toBeInTheDocument()

    const preview = await within(detail).findByRole('grid', { name: 'Preview of orders.csv' })
    const cells = within(preview).getAllByRole('gridcell').map((cell) => cell.textContent)
    expect(cells).toEqual(['1', '19.99', '2', '5.5'])
    expect(within(preview).getByRole('columnheader', { name: /amount/ })).toBeInTheDocument()

    expect(within(detail).getByRole('link', { name: 'Download' })).toHaveAttribute(
      'href',
      `/api/v1/volumes/${volume}/objects/2026/11/orders.csv?download=1`,
    )
    expect(within(detail).getByRole('link', { name: 'Load into table' })).toHaveAttribute(
      'href',
      `/tables?ingest=1&volume=${volume}&key=2026%2F11%2Forders.csv`,
    )
    const lineage = within(detail).getByRole('link', { name: /Lineage graph/ })
    const node = new URLSearchParams(lineage.getAttribute('href')!.split('?')[1]).get('node')!
    expect(node).toMatch(new RegExp(`^dataset:.*volumes/${volume}/2026/11/orders\\.csv$`))

    await user.click(within(detail).getByRole('button', { name: 'Close details' }))
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument()
    expect(router.state.location.search).toBe('')
  })

  it('previews text and images', async () => {
    const volume = await makeVolume('kinds')
    await putObject(volume, 'notes/readme.txt', 'Hello, lake.\nSecond line.')
    // A 1×1 PNG.
    const png = Uint8Array.from(
      atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
      (char) => char.charCodeAt(0),
    )
    await putObject(volume, 'pixel.png', png, 'image/png')

    const first = renderAt(`/files/${volume}/notes/?object=notes/readme.txt`)
    const text = await screen.findByLabelText('Preview of readme.txt')
    expect(text.tagName).toBe('PRE')
    expect(text).toHaveTextContent('Hello, lake. Second line.')
    expect(screen.queryByRole('link', { name: 'Load into table' })).not.toBeInTheDocument()
    first.unmount()

    renderAt(`/files/${volume}/?object=pixel.png`)
    const image = await screen.findByRole('img', { name: 'Preview of pixel.png' })
    expect(image.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    expect(screen.getByText('PNG, 1 × 1 pixels')).toBeInTheDocument()
  })

  it('edits tags and metadata, and they round-trip through the server', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('tags')
    await putObject(volume, 'data.csv', CSV)
    const first = renderAt(`/files/${volume}/?object=data.csv`)

    const tags = await screen.findByRole('form', { name: 'Tags' })
    await user.click(within(tags).getByRole('button', { name: 'Add tag' }))
    await user.type(within(tags).getByLabelText('Name of tag 1'), 'stage')
    await user.type(within(tags).getByLabelText('Value of tag 1'), 'clean')
    await user.click(within(tags).getByRole('button', { name: 'Add tag' }))
    await user.type(within(tags).getByLabelText('Name of tag 2'), 'owner')
    await user.type(within(tags).getByLabelText('Value of tag 2'), 'finance & ops')
    await user.click(within(tags).getByRole('button', { name: 'Save tags' }))
    expect(await within(tags).findByText('Saved.')).toBeInTheDocument()
    expect((await findObject(volume, 'data.csv'))?.tags).toEqual({ stage: 'clean', owner: 'finance & ops' })

    // A name given twice is caught before the server sees it.
    await user.click(within(tags).getByRole('button', { name: 'Add tag' }))
    await user.type(within(tags).getByLabelText('Name of tag 3'), 'stage')
    expect(within(tags).getByRole('alert')).toHaveTextContent('The name “stage” is given twice.')
    expect(within(tags).getByRole('button', { name: 'Save tags' })).toBeDisabled()
    await user.click(within(tags).getAllByRole('button', { name: 'Remove tag stage' })[1])
    expect(within(tags).queryByRole('alert')).not.toBeInTheDocument()

    const metadata = screen.getByRole('form', { name: 'Metadata' })
    await user.click(within(metadata).getByRole('button', { name: 'Add metadata entry' }))
    await user.type(within(metadata).getByLabelText('Name of metadata entry 1'), 'origin')
    await user.type(within(metadata).getByLabelText('Value of metadata entry 1'), 'partner-a')
    await user.click(within(metadata).getByRole('button', { name: 'Save metadata' }))
    await waitFor(async () => expect((await findObject(volume, 'data.csv'))?.metadata).toEqual({ origin: 'partner-a' }))

    // A fresh page shows what the server stored.
    first.unmount()
    renderAt(`/files/${volume}/?object=data.csv`)
    const again = await screen.findByRole('form', { name: 'Tags' })
    const values = within(again).getAllByLabelText(/^Value of tag/).map((input) => (input as HTMLInputElement).value)
    expect(values.sort()).toEqual(['clean', 'finance & ops'])
  })

  it("shows the server's refusal of a change", async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('refuse')
    await putObject(volume, 'a.txt', 'a')
    renderAt(`/files/${volume}/?object=a.txt`)

    const metadata = await screen.findByRole('form', { name: 'Metadata' })
    await user.click(within(metadata).getByRole('button', { name: 'Add metadata entry' }))
    await user.type(within(metadata).getByLabelText('Name of metadata entry 1'), 'not a name!')
    await user.type(within(metadata).getByLabelText('Value of metadata entry 1'), 'x')
    await user.click(within(metadata).getByRole('button', { name: 'Save metadata' }))
    expect(await within(metadata).findByRole('alert')).toHaveTextContent(/Bad Request \(400\)/)
    expect((await findObject(volume, 'a.txt'))?.metadata).toEqual({})
  })

  it('deletes an object after confirmation', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('delete')
    await putObject(volume, 'keep.txt', 'keep')
    await putObject(volume, 'gone.txt', 'gone')
    const { router } = renderAt(`/files/${volume}/?object=gone.txt`)

    const detail = await screen.findByRole('complementary', { name: 'gone.txt' })
    await user.click(await within(detail).findByRole('button', { name: 'Delete' }))
    let dialog = screen.getByRole('dialog', { name: 'Delete object' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(await findObject(volume, 'gone.txt')).not.toBeNull()

    await user.click(within(detail).getByRole('button', { name: 'Delete' }))
    dialog = screen.getByRole('dialog', { name: 'Delete object' })
    expect(dialog).toHaveTextContent(`Delete ${volume}/gone.txt (4 B)?`)
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))

    await waitFor(() => expect(router.state.location.search).toBe(''))
    expect(await findObject(volume, 'gone.txt')).toBeNull()
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await waitFor(() => expect(within(grid).queryByRole('link', { name: 'gone.txt' })).not.toBeInTheDocument())
    expect(within(grid).getByRole('link', { name: 'keep.txt' })).toBeInTheDocument()
  })

  it('deletes with the Delete key in the listing', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('delkey')
    await putObject(volume, 'only.txt', 'x')
    renderAt(`/files/${volume}/`)

    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await within(grid).findByRole('link', { name: 'only.txt' })
    grid.focus()
    await user.keyboard('{Delete}')
    const dialog = screen.getByRole('dialog', { name: 'Delete object' })
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText(/This folder is empty/)).toBeInTheDocument()
    expect(await findObject(volume, 'only.txt')).toBeNull()
  })

  it('moves an object to a new key after confirmation', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('move')
    await putObject(volume, 'in/orders.csv', CSV)
    const { router } = renderAt(`/files/${volume}/in/?object=in/orders.csv`)

    const detail = await screen.findByRole('complementary', { name: 'orders.csv' })
    await user.click(await within(detail).findByRole('button', { name: 'Move or rename' }))
    const dialog = screen.getByRole('dialog', { name: 'Move or rename' })
    const key = within(dialog).getByLabelText('New key')
    expect(key).toHaveValue('in/orders.csv')
    expect(within(dialog).getByRole('button', { name: 'Move' })).toBeDisabled()

    // A key the server refuses: its reason shows, nothing moves.
    await user.clear(key)
    await user.type(key, 'archive//orders.csv')
    await user.click(within(dialog).getByRole('button', { name: 'Move' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/Bad Request \(400\)/)

    await user.clear(key)
    await user.type(key, 'archive/2026 orders.csv')
    await user.click(within(dialog).getByRole('button', { name: 'Move' }))

    await waitFor(() => expect(router.state.location.pathname).toBe(`/files/${volume}/archive/`))
    expect(new URLSearchParams(router.state.location.search).get('object')).toBe('archive/2026 orders.csv')
    expect(await screen.findByRole('complementary', { name: '2026 orders.csv' })).toBeInTheDocument()
    expect(await findObject(volume, 'in/orders.csv')).toBeNull()
    const moved = await findObject(volume, 'archive/2026 orders.csv')
    expect(moved?.source).toMatchObject({ copied_from: { volume, key: 'in/orders.csv' } })
  })
})
