import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderAt, uniqueName } from '../../test/render'
import { findObject, makeVolume, putObject } from '../files/fixtures'

/** The objects count Home shows for `volume`. */
async function homeCount(volume: string) {
  const table = await screen.findByRole('table', { name: 'Volumes' })
  const row = within(table).getByRole('link', { name: volume }).closest('tr')!
  return row.querySelectorAll('td')[0].textContent
}

describe('the lake routes every page shares', () => {
  it('refreshes Home and the ingest picker after a change in Files', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('shared')
    await putObject(volume, 'old.txt', 'old')
    const { router } = renderAt('/')
    await waitFor(async () => expect(await homeCount(volume)).toBe('1'))

    await act(() => router.navigate(`/tables?ingest=1&volume=${volume}`))
    const picker = await screen.findByRole('dialog', { name: 'Load data into a table' })
    expect(await within(picker).findByRole('radio', { name: /old\.txt/ })).toBeInTheDocument()

    await act(() => router.navigate(`/files/${volume}/`))
    await user.upload(await screen.findByLabelText('Upload files'), [new File(['new'], 'new.txt')])
    await waitFor(async () => expect(await findObject(volume, 'new.txt')).not.toBeNull())
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    expect(await within(grid).findByRole('link', { name: 'new.txt' })).toBeInTheDocument()

    // Both pages read what they showed less than a second ago: only the invalidation refetches it.
    await act(() => router.navigate(`/tables?ingest=1&volume=${volume}`))
    const again = await screen.findByRole('dialog', { name: 'Load data into a table' })
    expect(await within(again).findByRole('radio', { name: /new\.txt/ })).toBeInTheDocument()
    await act(() => router.navigate('/'))
    await waitFor(async () => expect(await homeCount(volume)).toBe('2'))

    const made = uniqueName('madeshared').toLowerCase()
    await act(() => router.navigate('/files'))
    await user.click(await screen.findByRole('button', { name: 'New volume' }))
    const dialog = screen.getByRole('dialog', { name: 'Create a volume' })
    await user.type(within(dialog).getByLabelText('Name'), made)
    await user.click(within(dialog).getByRole('button', { name: 'Create volume' }))
    await screen.findByRole('heading', { level: 1, name: made })
    await act(() => router.navigate('/'))
    await waitFor(async () => expect(await homeCount(made)).toBe('0'))
  })
})
