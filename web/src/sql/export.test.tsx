import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderAt } from '../../test/render'
import { makeNamespace, queryBytes, runInEditor, setEditorText, sql, statusSnapshot, waitForStatus } from './testing'

/** A file picker that hands out in-memory files; what was written is in `files`. */
function stubFilePicker() {
  const files: { name: string; chunks: Uint8Array[]; closed: boolean }[] = []
  const picker = vi.fn(async ({ suggestedName }: { suggestedName: string }) => {
    const file = { name: suggestedName, chunks: [] as Uint8Array[], closed: false }
    files.push(file)
    return {
      name: suggestedName,
      createWritable: async () =>
        new WritableStream<Uint8Array>({
          write: (chunk) => void file.chunks.push(chunk),
          close: () => void (file.closed = true),
        }),
    }
  })
  Object.assign(window, { showSaveFilePicker: picker })
  return { picker, files }
}

const bytesOf = (chunks: Uint8Array[]) => new Uint8Array(chunks.flatMap((chunk) => [...chunk]))


describe('export', () => {
  afterEach(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker
    vi.restoreAllMocks()
  })

  it('streams the whole result, read at the same snapshot, into the file the user picks', async () => {
    const ns = await makeNamespace('sql_export')
    await sql(`CREATE TABLE ${ns}.t (id INTEGER, label VARCHAR)`)
    const [[, before]] = (await sql(`INSERT INTO ${ns}.t SELECT range, 'label ' || range FROM range(5000)`)).rows
    await sql(`DELETE FROM ${ns}.t WHERE id < 100`)
    const statement = `SELECT * FROM ${ns}.t ORDER BY id`
    const { picker, files } = stubFilePicker()

    renderAt(`/sql?sql=${encodeURIComponent(statement)}&snapshot=${before}`)
    await waitForStatus(/^5,000 rows in/)
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await screen.findByText(/^Saved result-[\d-T]+\.csv \(\d/)

    expect(picker).toHaveBeenCalledWith(expect.objectContaining({ suggestedName: expect.stringMatching(/^result-.*\.csv$/) }))
    expect(files[0].closed).toBe(true)
    const csv = new TextDecoder().decode(bytesOf(files[0].chunks))
    expect(csv).toBe(new TextDecoder().decode(await queryBytes({ sql: statement, snapshot: before, format: 'csv' })))
    expect(csv.split('\n')[1]).toBe('0,label 0')

    await userEvent.click(screen.getByRole('button', { name: 'Export Parquet' }))
    await screen.findByText(/^Saved result-[\d-T]+\.parquet/)
    const parquet = bytesOf(files[1].chunks)
    expect(new TextDecoder().decode(parquet.slice(0, 4))).toBe('PAR1')
    expect(new TextDecoder().decode(parquet.slice(-4))).toBe('PAR1')
  })

  it('exports the result the grid shows, though the table changed since', async () => {
    const ns = await makeNamespace('sql_export_pin')
    await sql(`CREATE TABLE ${ns}.t AS SELECT range AS id FROM range(3)`)
    const [[, latest]] = (await sql(`INSERT INTO ${ns}.t VALUES (3)`)).rows
    const { files } = stubFilePicker()
    renderAt(`/sql?sql=${encodeURIComponent(`SELECT id FROM ${ns}.t ORDER BY id`)}`)
    await waitForStatus(/^4 rows in .* · read at snapshot \d+$/)
    expect(statusSnapshot()).toBeGreaterThanOrEqual(Number(latest))
    await sql(`DELETE FROM ${ns}.t WHERE id < 2`)
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await screen.findByText(/^Saved result-[\d-T]+\.csv/)
    expect(new TextDecoder().decode(bytesOf(files[0].chunks))).toBe('id\n0\n1\n2\n3\n')
  })

  it('downloads the result where the browser has no file picker', async () => {
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:result'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})

    renderAt('/sql')
    await runInEditor('SELECT range AS n FROM range(3)')
    await waitForStatus(/^3 rows in/)
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await screen.findByText(/^Downloaded result-[\d-T]+\.csv$/)
    expect(click).toHaveBeenCalled()
    expect(await blobs[0].text()).toBe('n\n0\n1\n2\n')
  })

  /** Holds back the exports' responses until `release()`; an aborted export fails as fetch does. */
  function stallExports() {
    const realFetch = globalThis.fetch
    const signals: (AbortSignal | undefined)[] = []
    let release = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      if (typeof init?.body !== 'string' || !init.body.includes('"format":"csv"')) return realFetch(input, init)
      const signal = init.signal ?? undefined
      signals.push(signal)
      return new Promise<Response>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason))
        void released.then(() => resolve(new Response('n\n0\n')))
      })
    })
    return { signals, release }
  }

  function stubDownloads() {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:result')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    return vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
  }

  it('cancels a running export, and saves nothing', async () => {
    const click = stubDownloads()
    const { signals, release } = stallExports()
    renderAt('/sql')
    await runInEditor('SELECT range AS n FROM range(3)')
    await waitForStatus(/^3 rows in/)

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    expect(screen.getByRole('button', { name: 'Exporting CSV…' })).toBeDisabled()
    await userEvent.click(screen.getByRole('button', { name: 'Cancel export' }))
    await screen.findByText('Export cancelled')
    expect(signals[0]?.aborted).toBe(true)
    expect(screen.queryByRole('button', { name: 'Cancel export' })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeEnabled()
    release()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(click).not.toHaveBeenCalled()
  })

  it('stops an export when its result panel goes away', async () => {
    const click = stubDownloads()
    const { signals, release } = stallExports()
    const { router } = renderAt('/sql')
    await runInEditor('SELECT range AS n FROM range(3)')
    await waitForStatus(/^3 rows in/)
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await waitFor(() => expect(signals).toHaveLength(1))

    await act(() => router.navigate('/'))
    expect(signals[0]?.aborted).toBe(true)
    release()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(click).not.toHaveBeenCalled()
  })

  it('offers no export before a result, and none of a failed statement', async () => {
    renderAt('/sql')
    await setEditorText('SELECT missing_column')
    expect(screen.queryByRole('button', { name: 'Export CSV' })).not.toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    await screen.findByRole('alert')
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Export CSV' })).not.toBeInTheDocument())
  })
})
