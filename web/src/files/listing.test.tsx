import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { makeVolume, putMany } from './fixtures'

/** The names in the listing's rows, in order (the header row left out). */
function shownNames(grid: HTMLElement): string[] {
  return within(grid)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getByRole('link').textContent!)
}

describe('Files: listing', () => {
  it('shows folders first, then objects, and opens folders by link, keyboard and breadcrumbs', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('tree')
    await putMany(volume, ['b.txt', 'a/1.txt', 'a/2.txt', 'c/x/y.txt', 'z.csv', '0.txt'])
    const { router } = renderAt(`/files/${volume}/`)

    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await waitFor(() => expect(shownNames(grid)).toEqual(['a/', 'c/', '0.txt', 'b.txt', 'z.csv']))
    expect(screen.getByText('2 folders, 3 objects')).toBeInTheDocument()

    await user.click(within(grid).getByRole('link', { name: 'c/' }))
    const inC = await screen.findByRole('grid', { name: `Contents of ${volume}/c/` })
    await waitFor(() => expect(shownNames(inC)).toEqual(['x/']))
    expect(router.state.location.pathname).toBe(`/files/${volume}/c/`)

    // The keyboard: Enter opens the active row, Backspace goes up a folder.
    inC.focus()
    await user.keyboard('{Enter}')
    const inX = await screen.findByRole('grid', { name: `Contents of ${volume}/c/x/` })
    await waitFor(() => expect(shownNames(inX)).toEqual(['y.txt']))
    inX.focus()
    await user.keyboard('{Backspace}')
    expect(await screen.findByRole('grid', { name: `Contents of ${volume}/c/` })).toBeInTheDocument()

    const path = screen.getByRole('navigation', { name: 'Folder path' })
    expect(within(path).getByText('c')).toHaveAttribute('aria-current', 'page')
    await user.click(within(path).getByRole('link', { name: volume }))
    const root = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    root.focus()
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{Enter}')
    await waitFor(() => expect(router.state.location.search).toBe(`?object=b.txt`))
    expect(await screen.findByRole('heading', { level: 2, name: 'b.txt' })).toBeInTheDocument()
  })

  it('keeps keys with spaces, %, # and ? intact through links and URLs', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('odd')
    await putMany(volume, ['100% sure #1/what? now.txt'])
    const { router } = renderAt(`/files/${volume}/`)

    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await user.click(await within(grid).findByRole('link', { name: '100% sure #1/' }))
    expect(router.state.location.pathname).toBe(`/files/${volume}/100%25%20sure%20%231/`)
    const inside = await screen.findByRole('grid', { name: `Contents of ${volume}/100% sure #1/` })
    await user.click(await within(inside).findByRole('link', { name: 'what? now.txt' }))
    const detail = await screen.findByRole('complementary', { name: 'what? now.txt' })
    expect(detail).toHaveTextContent('100% sure #1/what? now.txt')
    // The object was found under its key: its facts and preview came back.
    expect(await within(detail).findByLabelText('Preview of what? now.txt')).toHaveTextContent('100% sure #1/what? now.txt')
  })

  it('shows a window of a large folder and loads further pages as the user scrolls', async () => {
    const volume = await makeVolume('many')
    const keys = Array.from({ length: 1200 }, (_, i) => `many/f${String(i).padStart(4, '0')}.txt`)
    await putMany(volume, [...keys, 'many/sub/inner.txt'])
    renderAt(`/files/${volume}/many/`)

    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/many/` })
    // The first page: 1000 objects (the folder sub/ sorts after them), of which only a window is rendered.
    await screen.findByText('0 folders, 1,000 objects, more as you scroll')
    expect(grid).toHaveAttribute('aria-rowcount', '-1')
    const rows = within(grid).getAllByRole('row')
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.length).toBeLessThan(80)
    expect(shownNames(grid).slice(0, 2)).toEqual(['f0000.txt', 'f0001.txt'])
    expect(within(grid).queryByText('f0998.txt')).not.toBeInTheDocument()

    // Near the end of what is loaded, the next page comes.
    grid.scrollTop = 980 * 32
    fireEvent.scroll(grid)
    await screen.findByText('1 folder, 1,200 objects')
    expect(grid).toHaveAttribute('aria-rowcount', '1202')
    expect(within(grid).queryByText('f0000.txt')).not.toBeInTheDocument()

    grid.scrollTop = 1201 * 32
    fireEvent.scroll(grid)
    expect(await within(grid).findByText('f1199.txt')).toBeInTheDocument()
    expect(within(grid).getAllByRole('row').length).toBeLessThan(80)

    // The folder of the second page joined the folders, above the objects.
    grid.scrollTop = 0
    fireEvent.scroll(grid)
    await waitFor(() => expect(shownNames(grid).slice(0, 2)).toEqual(['sub/', 'f0000.txt']))
  }, 60_000)
})
