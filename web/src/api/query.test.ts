import { afterEach, describe, expect, it, vi } from 'vitest'
import { downloadResult } from './query'

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
