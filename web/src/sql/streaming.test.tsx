import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { gridRows, runInEditor, setEditorText, status, waitForStatus } from './testing'
import { MAX_GRID_ROWS } from './useQueryRun'

const gridRowCount = () => {
  const grid = screen.queryByRole('grid', { name: 'Query result' })
  return grid ? Number(grid.getAttribute('aria-rowcount')) - 1 : 0
}

describe('SQL page, streaming', () => {
  it('shows rows while a large result still arrives, counts all of it and keeps a bounded grid', async () => {
    const total = 300_000
    renderAt('/sql')
    // Each row costs a little work, so the result takes a while to make whatever the machine:
    // rows must show while it is still being made.
    await setEditorText(
      `SELECT n, label FROM (SELECT range AS n, 'row ' || range AS label, ` +
        `list_sum([hash(range + i) % 2 FOR i IN range(100)]) AS work FROM range(${total})) WHERE work >= 0`,
    )

    // What the page showed over time: (status, rows in the grid). Role queries are too slow to
    // sample with, so the same elements are read by selector.
    const seen: { status: string; rows: number }[] = []
    const statusLine = status()
    const sampler = setInterval(() => {
      const grid = document.querySelector('[role="grid"]')
      seen.push({ status: statusLine.textContent ?? '', rows: grid ? Number(grid.getAttribute('aria-rowcount')) - 1 : 0 })
    }, 2)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    try {
      await waitForStatus(/^300,000 rows in/, 60_000)
    } finally {
      clearInterval(sampler)
    }

    // Rows showed, and kept coming, before the result was complete.
    const early = new Set(seen.filter((sample) => sample.status === 'Running…' && sample.rows > 0).map((sample) => sample.rows))
    expect(early.size).toBeGreaterThanOrEqual(2)
    expect(Math.min(...early)).toBeLessThan(MAX_GRID_ROWS)
    expect(gridRowCount()).toBe(MAX_GRID_ROWS)
    expect(screen.getByText(/The grid holds only the first 200,000 rows of 300,000/)).toBeInTheDocument()
    expect(gridRows()[0]).toEqual(['0', 'row 0'])
  }, 90_000)

  it('cancels a long query: the stream stops and the page says so', async () => {
    renderAt('/sql')
    // Rows without end (10^12), streamed as they are made: only cancelling ends it.
    await runInEditor('SELECT a.range AS a, b.range AS b FROM range(1000000000) AS a, range(1000) AS b')
    expect(status()).toHaveTextContent('Running…')
    // Rows have arrived and, the result having no end, more are on their way.
    await waitFor(() => expect(gridRowCount()).toBeGreaterThan(0), { timeout: 30_000 })
    expect(status()).toHaveTextContent('Running…')

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    await waitForStatus(/^Cancelled after [\d,]+ rows/)
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled()
    const kept = gridRowCount()
    await new Promise((wait) => setTimeout(wait, 300))
    expect(gridRowCount()).toBe(kept)
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()

    // The page is ready for the next statement.
    await runInEditor('SELECT 1 AS one')
    await waitForStatus(/^1 row in/)
  }, 60_000)
})
