import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { addHistory, HISTORY_KEY, HISTORY_LIMIT, readHistory } from './history'
import { editorView, runInEditor, waitForStatus } from './testing'

const entry = (sql: string) => ({
  sql,
  snapshot: null,
  at: new Date().toISOString(),
  durationMs: 5,
  outcome: 'done' as const,
  rowCount: 1,
  error: null,
})

describe('query history', () => {
  it('keeps the statements run, across visits, and puts one back in the editor', async () => {
    const first = renderAt('/sql')
    await runInEditor('SELECT 7 AS seven')
    await waitForStatus(/^1 row in/)
    await runInEditor('SELECT nope FROM')
    await screen.findByRole('alert')
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Query history' })).getAllByRole('listitem')).toHaveLength(2))
    first.unmount()

    const { router } = renderAt('/sql')
    const list = await screen.findByRole('list', { name: 'Query history' })
    const [failed, succeeded] = within(list).getAllByRole('listitem')
    expect(failed).toHaveTextContent('SELECT nope FROM')
    expect(failed).toHaveTextContent(/failed: .*syntax error/)
    expect(succeeded).toHaveTextContent(/SELECT 7 AS seven.*1 row/)

    await userEvent.click(within(list).getByRole('button', { name: 'Restore SELECT 7 AS seven' }))
    const view = await editorView()
    expect(view.state.doc.toString()).toBe('SELECT 7 AS seven')
    expect(new URLSearchParams(router.state.location.search).has('snapshot')).toBe(false)

    await userEvent.click(screen.getByRole('button', { name: 'Clear history' }))
    expect(screen.queryByRole('list', { name: 'Query history' })).not.toBeInTheDocument()
    expect(readHistory()).toEqual([])
  })

  it('restores the snapshot a statement read at', async () => {
    addHistory({ ...entry('SELECT 1 AS then'), snapshot: 1 })
    const { router } = renderAt('/sql')
    await userEvent.click(await screen.findByRole('button', { name: 'Restore SELECT 1 AS then' }))
    expect(new URLSearchParams(router.state.location.search).get('snapshot')).toBe('1')
    expect(screen.getByRole('textbox', { name: 'Snapshot' })).toHaveValue('1')
  })

  it('keeps the newest 100 and ignores what it cannot read', () => {
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) addHistory(entry(`SELECT ${i}`))
    const kept = readHistory()
    expect(kept).toHaveLength(HISTORY_LIMIT)
    expect(kept[0].sql).toBe(`SELECT ${HISTORY_LIMIT + 19}`)
    expect(kept.at(-1)!.sql).toBe('SELECT 20')

    localStorage.setItem(HISTORY_KEY, '{not json')
    expect(readHistory()).toEqual([])
    localStorage.setItem(HISTORY_KEY, JSON.stringify([{ sql: 1 }, { ...entry('SELECT 2'), id: 'a' }]))
    expect(readHistory().map((e) => e.sql)).toEqual(['SELECT 2'])
  })
})
