import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { makeVolume, putMany, recordListings } from './fixtures'

let recording: ReturnType<typeof recordListings> | undefined
afterEach(() => {
  recording?.stop()
  recording = undefined
})

/** The tree's item of a folder, found by the names on the way down: item(tree, 'a', 'x'). */
function item(tree: HTMLElement, ...path: string[]): HTMLElement {
  let at = tree
  for (const name of path) at = within(at).getByRole('treeitem', { name })
  return at
}

/** The names of a tree item's subfolders, in order (folders open and close; "more" items do not). */
function childNames(treeItem: HTMLElement): string[] {
  const group = treeItem.querySelector(':scope > [role="group"]')
  const folders = group?.querySelectorAll(':scope > [role="treeitem"][aria-expanded]') ?? []
  return Array.from(folders, (child) => document.getElementById(child.getAttribute('aria-labelledby')!)!.textContent!)
}

const prefixesRead = () => [...new Set(recording!.requests.map((request) => request.prefix))].sort()

describe('Files: folder tree', () => {
  it('shows the folders open down to the current one, and lists a folder only when it is opened', async () => {
    const volume = await makeVolume('tree')
    await putMany(volume, ['a/1.txt', 'a/x/deep/f.txt', 'a/y/g.txt', 'b/z/i.txt', 'b/h.txt', 'c.txt'])
    recording = recordListings(volume)
    renderAt(`/files/${volume}/a/x/`)

    const tree = await screen.findByRole('tree', { name: `Folders of ${volume}` })
    const root = item(tree, volume)
    expect(root).toHaveAttribute('aria-level', '1')
    expect(root).toHaveAttribute('aria-expanded', 'true')
    await waitFor(() => expect(childNames(item(tree, volume, 'a', 'x'))).toEqual(['deep']))
    expect(childNames(root)).toEqual(['a', 'b'])
    expect(childNames(item(tree, volume, 'a'))).toEqual(['x', 'y'])
    const current = item(tree, volume, 'a', 'x')
    expect(current).toHaveAttribute('aria-selected', 'true')
    expect(current).toHaveAttribute('aria-level', '3')
    expect(current).toHaveAttribute('tabindex', '0')
    expect(tree.querySelectorAll('[tabindex="0"]')).toHaveLength(1)
    expect(item(tree, volume, 'a')).toHaveAttribute('aria-selected', 'false')
    for (const closed of [item(tree, volume, 'b'), item(tree, volume, 'a', 'y'), item(tree, volume, 'a', 'x', 'deep')]) {
      expect(closed).toHaveAttribute('aria-expanded', 'false')
    }
    // Only the open folders were listed, each once (the tree and the listing share a/x/'s).
    expect(prefixesRead()).toEqual(['', 'a/', 'a/x/'])
    expect(recording.requests).toHaveLength(3)

    // Opening a folder lists it then, and shows its subfolders.
    await userEvent.click(within(item(tree, volume, 'b')).getByText('▸'))
    expect(item(tree, volume, 'b')).toHaveAttribute('aria-expanded', 'true')
    await waitFor(() => expect(childNames(item(tree, volume, 'b'))).toEqual(['z']))
    expect(prefixesRead()).toEqual(['', 'a/', 'a/x/', 'b/'])
    // A folder without subfolders says so.
    await userEvent.click(within(item(tree, volume, 'a', 'x', 'deep')).getByText('▸'))
    expect(await within(item(tree, volume, 'a', 'x', 'deep')).findByText('No folders')).toBeInTheDocument()
  })

  it('moves, opens and closes by keyboard, and keeps the tree and the URL in step', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('keys')
    await putMany(volume, ['a/x/1.txt', 'a/y/2.txt', 'b/3.txt', 'top.txt'])
    const { router } = renderAt(`/files/${volume}/`)
    const tree = await screen.findByRole('tree', { name: `Folders of ${volume}` })
    await waitFor(() => expect(childNames(item(tree, volume))).toEqual(['a', 'b']))
    const root = item(tree, volume)
    expect(root).toHaveAttribute('aria-selected', 'true')

    // Tab reaches the tree at the current folder.
    await user.click(await screen.findByRole('grid', { name: `Contents of ${volume}/` }))
    await user.tab({ shift: true })
    expect(root).toHaveFocus()
    await user.keyboard('{ArrowDown}')
    expect(item(tree, volume, 'a')).toHaveFocus()
    await user.keyboard('{ArrowRight}')
    expect(item(tree, volume, 'a')).toHaveAttribute('aria-expanded', 'true')
    await waitFor(() => expect(childNames(item(tree, volume, 'a'))).toEqual(['x', 'y']))
    await user.keyboard('{ArrowRight}')
    expect(item(tree, volume, 'a', 'x')).toHaveFocus()
    await user.keyboard('{ArrowDown}{Enter}')
    await waitFor(() => expect(router.state.location.pathname).toBe(`/files/${volume}/a/y/`))
    expect(await screen.findByRole('grid', { name: `Contents of ${volume}/a/y/` })).toBeInTheDocument()
    const y = item(tree, volume, 'a', 'y')
    expect(y).toHaveFocus()
    expect(y).toHaveAttribute('aria-selected', 'true')
    expect(y).toHaveAttribute('aria-expanded', 'true')
    expect(root).toHaveAttribute('aria-selected', 'false')

    await user.keyboard('{End}')
    expect(item(tree, volume, 'b')).toHaveFocus()
    await user.keyboard('{ArrowUp}')
    expect(y).toHaveFocus()
    // Left closes an open folder, then goes up to its parent; closing the parent hides its subfolders.
    await user.keyboard('{ArrowLeft}')
    expect(y).toHaveAttribute('aria-expanded', 'false')
    await user.keyboard('{ArrowLeft}')
    expect(item(tree, volume, 'a')).toHaveFocus()
    await user.keyboard('{ArrowLeft}')
    expect(item(tree, volume, 'a')).toHaveAttribute('aria-expanded', 'false')
    expect(within(tree).queryByRole('treeitem', { name: 'y' })).not.toBeInTheDocument()
    await user.keyboard('{Home}')
    expect(root).toHaveFocus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(router.state.location.pathname).toBe(`/files/${volume}/`))

    // Opening a folder elsewhere (the listing) opens the tree down to it, and selects it.
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await user.click(await within(grid).findByRole('link', { name: 'a/' }))
    await waitFor(() => expect(item(tree, volume, 'a')).toHaveAttribute('aria-selected', 'true'))
    expect(item(tree, volume, 'a')).toHaveAttribute('aria-expanded', 'true')
    await user.click(within(screen.getByRole('navigation', { name: 'Folder path' })).getByRole('link', { name: volume }))
    await waitFor(() => expect(root).toHaveAttribute('aria-selected', 'true'))
  })

  it('reads one page of a large folder for its subfolders, says more may follow, and reads on when asked', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('big')
    // 0first/ sorts before the objects, on the first page; m/ and zlast/ after them, on the second.
    const objects = Array.from({ length: 1100 }, (_, i) => `many/f${String(i).padStart(4, '0')}.txt`)
    await putMany(volume, [...objects, 'many/0first/a.txt', 'many/m/c.txt', 'many/zlast/b.txt'])
    recording = recordListings(volume)
    renderAt(`/files/${volume}/many/zlast/`)

    const tree = await screen.findByRole('tree', { name: `Folders of ${volume}` })
    const many = item(tree, volume, 'many')
    // The way down to the current folder is there before the page naming it has been read.
    await waitFor(() => expect(childNames(many)).toEqual(['0first', 'zlast']))
    expect(item(tree, volume, 'many', 'zlast')).toHaveAttribute('aria-selected', 'true')
    const more = await within(many).findByRole('treeitem', { name: 'Find more folders in many (1,000 entries read)' })
    expect(recording.requests.filter((request) => request.prefix === 'many/')).toHaveLength(1)

    more.focus()
    await user.keyboard('{Enter}')
    // The second page is the last: the item goes, and the focus goes up to its folder.
    await waitFor(() => expect(within(many).queryByRole('treeitem', { name: /more folders/ })).not.toBeInTheDocument())
    expect(recording.requests.filter((request) => request.prefix === 'many/')).toHaveLength(2)
    expect(childNames(many)).toEqual(['0first', 'm', 'zlast'])
    expect(many).toHaveFocus()
    expect(many).toHaveAttribute('tabindex', '0')
  }, 60_000)
})
