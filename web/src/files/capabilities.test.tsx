// What a caller with fewer rights sees, and downloads when the server uses tokens. The test
// server runs without authentication, so the rights come from a stand-in useCapabilities().
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Capabilities, Role } from '../auth/capabilities'
import { renderAt } from '../../test/render'
import { makeVolume, putObject } from './fixtures'

const session = vi.hoisted(() => ({ capabilities: undefined as Capabilities | undefined }))

vi.mock('../auth/AuthProvider', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../auth/AuthProvider')>()
  return { ...actual, useCapabilities: () => session.capabilities! }
})

const RANK: Record<Role, number> = { reader: 1, writer: 2, admin: 3 }

/** A signed-in user with `role` on every volume and nothing on the lake. */
function signedInWith(role: Role): Capabilities {
  return {
    authenticated: true,
    user: 'rita',
    lake: () => false,
    namespace: () => false,
    volume: (_, wanted) => RANK[wanted] <= RANK[role],
  }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('Files: rights', () => {
  it('shows a reader no action that changes anything', async () => {
    const user = userEvent.setup()
    session.capabilities = signedInWith('reader')
    const volume = await makeVolume('reader')
    await putObject(volume, 'a.csv', 'x,y\n1,2\n')
    const { unmount } = renderAt('/files')
    await screen.findByRole('link', { name: volume })
    expect(screen.queryByRole('button', { name: 'New volume' })).not.toBeInTheDocument()
    unmount()

    renderAt(`/files/${volume}/?object=a.csv`)
    // Once the folder and the object have loaded, whatever a writer would see is there.
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await within(grid).findByRole('link', { name: 'a.csv' })
    const detail = await screen.findByRole('complementary', { name: 'a.csv' })
    await within(detail).findByRole('button', { name: 'Download' })
    expect(within(detail).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
    expect(within(detail).queryByRole('button', { name: 'Move or rename' })).not.toBeInTheDocument()
    expect(within(detail).queryByRole('button', { name: 'Save tags' })).not.toBeInTheDocument()
    expect(within(detail).getByRole('region', { name: 'Tags' })).toHaveTextContent('None.')
    expect(screen.queryByLabelText('Upload files')).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'New folder' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Volume settings' })).not.toBeInTheDocument()

    grid.focus()
    await user.keyboard('{Delete}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })

  it('lets a writer upload and edit, but not change the volume', async () => {
    session.capabilities = signedInWith('writer')
    const volume = await makeVolume('writer')
    await putObject(volume, 'a.txt', 'a')
    renderAt(`/files/${volume}/?object=a.txt`)

    const detail = await screen.findByRole('complementary', { name: 'a.txt' })
    expect(await within(detail).findByRole('button', { name: 'Delete' })).toBeInTheDocument()
    expect(within(detail).getByRole('button', { name: 'Save tags' })).toBeInTheDocument()
    expect(await screen.findByLabelText('Upload files')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Volume settings' })).not.toBeInTheDocument()
  })

  it('downloads through a presigned URL when requests need a token', async () => {
    const user = userEvent.setup()
    session.capabilities = signedInWith('reader')
    const volume = await makeVolume('presign')
    await putObject(volume, 'dir/report one.txt', 'the report')
    const followed: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push(this.href)
    })
    renderAt(`/files/${volume}/dir/?object=${encodeURIComponent('dir/report one.txt')}`)

    const detail = await screen.findByRole('complementary', { name: 'report one.txt' })
    await user.click(await within(detail).findByRole('button', { name: 'Download' }))
    await waitFor(() => expect(followed).toHaveLength(1))

    const url = new URL(followed[0])
    expect(url.pathname).toBe(`/api/v1/volumes/${volume}/objects/dir/report%20one.txt`)
    expect(url.searchParams.get('download')).toBe('1')
    expect(url.searchParams.get('X-DuckLake-Signature')).toMatch(/^[0-9a-f]{64}$/)
    // The URL alone (no header) fetches the object, as an attachment.
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Disposition')).toMatch(/attachment/)
    expect(await response.text()).toBe('the report')
  })
})
