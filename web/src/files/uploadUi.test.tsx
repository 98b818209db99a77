import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, data } from '../api/client'
import { renderAt } from '../../test/render'
import { findObject, makeVolume, objectBytes, putMany, putObject, recordListings } from './fixtures'
import { uploadQueue } from './uploadQueue'

// The queue belongs to the tab, not to a page: empty it between tests.
afterEach(async () => {
  vi.restoreAllMocks()
  uploadQueue.cancelAll()
  await waitFor(() =>
    expect(uploadQueue.getSnapshot().filter((entry) => entry.status === 'queued' || entry.status === 'uploading')).toEqual([]),
  )
  uploadQueue.clearFinished()
})

/** The names in the listing's rows, in order. Plain selectors: role queries over a screenful of rows
 *  on every DOM change would keep the event loop from the responses awaited. */
function shownNames(grid: HTMLElement): string[] {
  return Array.from(grid.querySelectorAll('[role="rowgroup"] + [role="rowgroup"] [role="row"] a'), (link) => link.textContent!)
}

function scrollToRow(grid: HTMLElement, row: number) {
  grid.scrollTop = row * 32
  fireEvent.scroll(grid)
}

/** A dropped file, as the entry API hands it over. */
function fileEntry(file: File) {
  return { isFile: true, isDirectory: false, name: file.name, file: (done: (file: File) => void) => done(file) }
}

/** A dropped folder; its reader answers in two batches, then an empty one, as browsers do. */
function folderEntry(name: string, children: unknown[]) {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      const batches = [children.slice(0, 1), children.slice(1), []]
      return { readEntries: (done: (entries: unknown[]) => void) => done(batches.shift() ?? []) }
    },
  }
}

function dropped(entries: unknown[]) {
  return {
    dataTransfer: {
      types: ['Files'],
      files: [],
      items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
    },
  }
}

describe('Files: uploads', () => {
  it('uploads a dropped folder and file into the current folder, keeping their paths', async () => {
    const volume = await makeVolume('drop')
    await putObject(volume, 'inbox/old.txt', 'old')
    renderAt(`/files/${volume}/inbox/`)
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/inbox/` })

    const photo = new File(['not really a png'], 'cat.png', { type: 'image/png' })
    const deeper = new File(['deep'], 'deep.txt')
    const note = new File(['a note'], 'note.txt', { type: 'text/plain' })
    const folder = folderEntry('photos', [fileEntry(photo), folderEntry('more', [fileEntry(deeper)])])
    fireEvent.dragEnter(grid, dropped([]))
    fireEvent.drop(grid, dropped([folder, fileEntry(note)]))

    const uploads = await screen.findByRole('region', { name: 'Uploads' })
    const list = within(uploads).getByRole('list', { name: 'Files being uploaded' })
    for (const key of ['inbox/photos/cat.png', 'inbox/photos/more/deep.txt', 'inbox/note.txt']) {
      const progress = await within(list).findByRole('progressbar', { name: `Upload of ${key}` })
      const item = progress.closest('[role="listitem"]') as HTMLElement
      await waitFor(() => expect(within(item).getByText('Uploaded')).toBeInTheDocument())
      expect(progress).toHaveAttribute('value', progress.getAttribute('max'))
    }

    expect(new TextDecoder().decode(await objectBytes(volume, 'inbox/photos/more/deep.txt'))).toBe('deep')
    expect((await findObject(volume, 'inbox/photos/cat.png'))?.content_type).toBe('image/png')
    expect((await findObject(volume, 'inbox/note.txt'))?.size).toBe(6)
    // The listing refreshed: the new folder and file are in it.
    expect(await within(grid).findByRole('link', { name: 'photos/' })).toBeInTheDocument()
    expect(await within(grid).findByRole('link', { name: 'note.txt' })).toBeInTheDocument()
  })

  it('says so when a dropped folder cannot be read, and uploads nothing of the drop', async () => {
    const volume = await makeVolume('unreadable')
    renderAt(`/files/${volume}/`)
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    const broken = {
      isFile: false,
      isDirectory: true,
      name: 'locked',
      createReader: () => ({
        readEntries: (_done: unknown, fail: (error: Error) => void) =>
          fail(new DOMException('A requested file or directory could not be read', 'NotReadableError')),
      }),
    }
    fireEvent.drop(grid, dropped([fileEntry(new File(['a'], 'a.txt')), broken]))

    expect(await screen.findByRole('alert')).toHaveTextContent(/What was dropped could not be read.*could not be read/)
    expect(screen.queryByRole('region', { name: 'Uploads' })).not.toBeInTheDocument()
    expect(await findObject(volume, 'a.txt')).toBeNull()
  })

  it('uploads what the file and folder pickers give', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('pick')
    renderAt(`/files/${volume}/`)

    await user.upload(await screen.findByLabelText('Upload files'), [
      new File(['id,name\n1,a\n'], 'people.csv', { type: 'application/vnd.ms-excel' }),
      new File(['two'], 'two.txt'),
    ])
    const inFolder = new File(['x'], 'x.txt')
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'report/2026/x.txt' })
    const folderPicker = screen.getByLabelText('Upload folder')
    expect(folderPicker).toHaveAttribute('webkitdirectory')
    await user.upload(folderPicker, [inFolder])

    await waitFor(async () => expect(await findObject(volume, 'report/2026/x.txt')).not.toBeNull())
    await waitFor(async () => expect(await findObject(volume, 'two.txt')).not.toBeNull())
    expect((await findObject(volume, 'people.csv'))?.content_type).toBe('text/csv')
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    expect(await within(grid).findByRole('link', { name: 'report/' })).toBeInTheDocument()
  })

  it('cancels an upload in flight, and sends it again on retry', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('cancel')
    // The network stalls: requests stay in flight until aborted.
    const send = vi.spyOn(XMLHttpRequest.prototype, 'send').mockImplementation(() => {})
    vi.spyOn(XMLHttpRequest.prototype, 'abort').mockImplementation(function (this: XMLHttpRequest) {
      this.dispatchEvent(new ProgressEvent('abort'))
    })
    renderAt(`/files/${volume}/`)

    await user.upload(await screen.findByLabelText('Upload files'), [
      new File(['one'], 'one.txt'),
      new File(['two'], 'two.txt'),
      new File(['three'], 'three.txt'),
    ])
    const uploads = await screen.findByRole('region', { name: 'Uploads' })
    await waitFor(() => expect(send).toHaveBeenCalledTimes(3))
    // The live region says how many files are through; the bytes, which change all the time, are not in it.
    expect(within(uploads).getByRole('status')).toHaveTextContent(/^0 of 3 uploaded$/)
    expect(within(uploads).getByText('0 B of 11 B')).not.toHaveAttribute('role')

    await user.click(within(uploads).getByRole('button', { name: 'Cancel upload of one.txt' }))
    const one = within(uploads).getByRole('progressbar', { name: 'Upload of one.txt' }).closest('[role="listitem"]') as HTMLElement
    await waitFor(() => expect(within(one).getByText('Cancelled')).toBeInTheDocument())
    expect(within(uploads).queryByRole('button', { name: 'Cancel upload of one.txt' })).not.toBeInTheDocument()

    await user.click(within(uploads).getByRole('button', { name: 'Cancel all uploads' }))
    await waitFor(() => expect(within(uploads).getAllByText('Cancelled')).toHaveLength(3))
    expect(await findObject(volume, 'two.txt')).toBeNull()

    vi.restoreAllMocks()
    await user.click(within(uploads).getByRole('button', { name: 'Retry upload of one.txt' }))
    await waitFor(() => expect(within(one).getByText('Uploaded')).toBeInTheDocument())
    expect(new TextDecoder().decode(await objectBytes(volume, 'one.txt'))).toBe('one')

    await user.click(within(uploads).getByRole('button', { name: 'Clear finished' }))
    expect(screen.queryByRole('region', { name: 'Uploads' })).not.toBeInTheDocument()
  })

  it('keeps running uploads in sight, and warns before the tab closes, on every page', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('away')
    const send = vi.spyOn(XMLHttpRequest.prototype, 'send').mockImplementation(() => {})
    vi.spyOn(XMLHttpRequest.prototype, 'abort').mockImplementation(function (this: XMLHttpRequest) {
      this.dispatchEvent(new ProgressEvent('abort'))
    })
    const { router } = renderAt(`/files/${volume}/`)
    const unloadCancelled = () => !window.dispatchEvent(new Event('beforeunload', { cancelable: true }))
    expect(unloadCancelled()).toBe(false)

    await user.upload(await screen.findByLabelText('Upload files'), [new File(['one'], 'one.txt'), new File(['two'], 'two.txt')])
    await waitFor(() => expect(send).toHaveBeenCalledTimes(2))
    await act(() => router.navigate('/'))
    await screen.findByRole('heading', { level: 1 })
    const indicator = screen.getByRole('link', { name: 'Uploading 2 files' })
    expect(indicator).toHaveAttribute('href', '/files')
    expect(indicator.closest('[role="status"]')).not.toBeNull()
    expect(unloadCancelled()).toBe(true)

    act(() => uploadQueue.cancelAll())
    await waitFor(() => expect(screen.queryByRole('link', { name: /^Uploading/ })).not.toBeInTheDocument())
    expect(unloadCancelled()).toBe(false)
  })

  it("shows each failed file with the server's reason", async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('fail')
    data(await api.PATCH('/api/v1/volumes/{vol}', { params: { path: { vol: volume } }, body: { max_object_bytes: 8 } }))
    renderAt(`/files/${volume}/`)

    await user.upload(await screen.findByLabelText('Upload files'), [
      new File(['more than eight bytes'], 'large.txt'),
      new File(['fine'], 'fine.txt'),
    ])

    const uploads = await screen.findByRole('region', { name: 'Uploads' })
    const item = within(uploads).getByRole('progressbar', { name: 'Upload of large.txt' }).closest('[role="listitem"]') as HTMLElement
    expect(await within(item).findByRole('alert')).toHaveTextContent(/Payload Too Large \(413\)/)
    expect(within(item).getByText('Failed')).toBeInTheDocument()
    expect(within(item).getByRole('button', { name: 'Retry upload of large.txt' })).toBeInTheDocument()
    await waitFor(async () => expect(await findObject(volume, 'fine.txt')).not.toBeNull())
    expect(await findObject(volume, 'large.txt')).toBeNull()
  })

  it('refreshes a long listing from its first page after an upload, with the new objects where they sort', async () => {
    const user = userEvent.setup()
    const volume = await makeVolume('reload')
    await putMany(volume, Array.from({ length: 2500 }, (_, i) => `f${String(i).padStart(4, '0')}.txt`))
    renderAt(`/files/${volume}/`)
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    await screen.findByText('0 folders, 1,000 objects, more as you scroll')
    scrollToRow(grid, 980)
    await screen.findByText('0 folders, 2,000 objects, more as you scroll')
    scrollToRow(grid, 1980)
    await screen.findByText('0 folders, 2,500 objects')
    scrollToRow(grid, 0)

    const recording = recordListings(volume)
    try {
      await user.upload(screen.getByLabelText('Upload files'), [new File(['new'], 'a-new.txt'), new File(['mid'], 'f1500x.txt')])
      await waitFor(() => expect(shownNames(grid)[0]).toBe('a-new.txt'))
      // One request, not one per page held: the rest come again as the user scrolls.
      expect(recording.requests).toEqual([{ prefix: '', cursor: '' }])
      expect(screen.getByText('0 folders, 1,000 objects, more as you scroll')).toBeInTheDocument()
      expect(shownNames(grid).slice(0, 3)).toEqual(['a-new.txt', 'f0000.txt', 'f0001.txt'])

      scrollToRow(grid, 990)
      await screen.findByText('0 folders, 2,000 objects, more as you scroll')
      scrollToRow(grid, 1490)
      await waitFor(() => expect(shownNames(grid).join()).toContain('f1500.txt,f1500x.txt,f1501.txt'))
      expect(recording.requests).toHaveLength(2)
      expect(recording.requests[1].cursor).not.toBe('')
    } finally {
      recording.stop()
    }
  }, 60_000)

  it('shows a folder visited again from its first page, not by refetching every page it held', async () => {
    const volume = await makeVolume('revisit')
    await putMany(volume, Array.from({ length: 2500 }, (_, i) => `g${String(i).padStart(4, '0')}.txt`))
    const { router } = renderAt(`/files/${volume}/`)
    const grid = await screen.findByRole('grid', { name: `Contents of ${volume}/` })
    scrollToRow(grid, 980)
    await screen.findByText('0 folders, 2,000 objects, more as you scroll')
    scrollToRow(grid, 1980)
    await screen.findByText('0 folders, 2,500 objects')

    await act(() => router.navigate('/files'))
    await screen.findByRole('heading', { level: 1, name: 'Files' })
    await new Promise((wait) => setTimeout(wait, 5_500)) // past the cache's 5 s: the listing is stale
    const recording = recordListings(volume)
    try {
      await act(() => router.navigate(`/files/${volume}/`))
      await screen.findByText('0 folders, 1,000 objects, more as you scroll')
      await waitFor(() => expect(recording.requests).toEqual([{ prefix: '', cursor: '' }]))
    } finally {
      recording.stop()
    }
  }, 60_000)
})
