import { afterEach, describe, expect, it, vi } from 'vitest'
import { rawFetch } from './client'
import { downloadResult, streamQuery } from './query'

describe('downloading a result without a file picker', () => {
  afterEach(() => vi.restoreAllMocks())

  it('saves the whole result when it fits, and refuses readably when it would not', async () => {
    const saved: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob)
      return 'blob:test'
    })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const statement = { sql: 'SELECT range AS n FROM range(20000)' }

    await downloadResult(statement, 'csv', 'numbers.csv')
    expect(saved).toHaveLength(1)
    const text = await saved[0].text()
    expect(text.split('\n').filter(Boolean)).toHaveLength(20001) // header and rows
    expect(text.startsWith('n\n0\n1\n')).toBe(true)

    await expect(downloadResult(statement, 'csv', 'numbers.csv', undefined, 10_000)).rejects.toThrow(
      /larger than 9\.77 KiB.*Save it to a volume instead/,
    )
    expect(saved).toHaveLength(1)
  })
})

describe('streaming a result', () => {
  afterEach(() => vi.restoreAllMocks())

  it('lets the page run between rows when the whole body has already arrived', async () => {
    // A fast server on a fast link: every chunk is already there, so each read resolves at once.
    const request = { sql: "SELECT range AS n, 'row ' || range AS label FROM range(200000)" }
    const real = await rawFetch('/api/v1/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...request, format: 'json' }),
    })
    const bytes = new Uint8Array(await real.arrayBuffer())
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024))
        controller.close()
      },
    })
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(body, { headers: real.headers }))

    let rows = 0
    let rowsWhenThePageRan = -1
    setTimeout(() => (rowsWhenThePageRan = rows), 0)
    const summary = await streamQuery(request, { onRows: (batch) => (rows += batch.length) })
    expect(summary.rowCount).toBe(200_000)
    // The page's timer ran right after the first rows, not after the last.
    expect(rowsWhenThePageRan).toBeGreaterThan(0)
    expect(rowsWhenThePageRan).toBeLessThan(200_000)
  })
})
