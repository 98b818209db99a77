import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { api, data } from '../api/client'
import { formatCell } from '../ui/format'
import { renderAt } from '../../test/render'
import { CHANGE_LABEL, type ChangeKind } from './changes'
import { gridText, newNamespace, write } from './testing'

const KIND: Record<string, ChangeKind> = {
  insert: 'inserted',
  delete: 'deleted',
  update_preimage: 'updated-before',
  update_postimage: 'updated-after',
}

/** The reference: GET …/changes for the same range, as the diff's rows would read. */
async function feed(ns: string, table: string, from: number | undefined, to: number) {
  const result = data(
    await api.GET('/api/v1/namespaces/{ns}/tables/{table}/changes', { params: { path: { ns, table }, query: { from, to } } }),
  ) as { rows: unknown[][] }
  const lines = result.rows.map((row) => [CHANGE_LABEL[KIND[String(row[1])]], row[0], ...row.slice(2)].map(formatCell).join(' | '))
  const count = (type: string) => result.rows.filter((row) => row[1] === type).length
  return { lines: lines.sort(), inserted: count('insert'), deleted: count('delete'), updated: count('update_postimage') }
}

const countsText = () => within(screen.getByRole('list', { name: 'Change counts' })).getAllByRole('listitem').map((item) => item.textContent)

describe('Tables: changes between snapshots', () => {
  it('shows inserted, deleted and updated rows as the change feed has them, paired and coloured', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.t (id BIGINT, name VARCHAR, score DOUBLE)`)
    const loaded = await write(`INSERT INTO ${ns}.t VALUES (1, 'a', 1.5), (2, 'b', 2.5), (3, 'c', NULL), (4, 'd', 4), (5, 'e', 5)`)
    await write(`INSERT INTO ${ns}.t VALUES (6, 'f', 6)`)
    await write(`DELETE FROM ${ns}.t WHERE id IN (2, 5)`)
    const last = await write(`UPDATE ${ns}.t SET name = upper(name), score = coalesce(score, 0) + 1 WHERE id IN (3, 4)`)
    const reference = await feed(ns, 't', loaded, last)
    expect([reference.inserted, reference.deleted, reference.updated]).toEqual([1, 2, 2])

    renderAt(`/tables/${ns}/t?tab=changes&from=${loaded}&to=${last}`)
    const grid = await screen.findByRole('grid', { name: `Changes after snapshot ${loaded} up to snapshot ${last}` })
    expect(countsText()).toEqual(['Inserted: 1', 'Deleted: 2', 'Updated: 2'])
    expect(gridText(grid)).toEqual(reference.lines)

    const rows = Array.from(grid.querySelectorAll('[role="rowgroup"]:not(.data-grid-head) [role="row"]'))
    const cells = (row: Element) => Array.from(row.querySelectorAll('[role="gridcell"]')).map((cell) => cell.textContent)
    for (const row of rows) {
      const kind = Object.entries(CHANGE_LABEL).find(([, label]) => label === cells(row)[0])![0]
      expect(row).toHaveClass(kind)
    }
    // Each old version sits right above its new one, with the same id, and the changed values marked.
    rows.forEach((row, index) => {
      if (cells(row)[0] !== CHANGE_LABEL['updated-before']) return
      const next = rows[index + 1]
      expect(cells(next)[0]).toBe(CHANGE_LABEL['updated-after'])
      expect(cells(next)[2]).toBe(cells(row)[2])
      expect(cells(next)[3]).toBe(cells(row)[3]!.toUpperCase())
      expect(Array.from(next.querySelectorAll('mark')).map((mark) => mark.textContent)).toEqual([cells(next)[3], cells(next)[4]])
    })
  })

  it('defaults to what the newest snapshot changed, and the range can be widened', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.d (id BIGINT)`)
    const first = await write(`INSERT INTO ${ns}.d VALUES (1), (2), (3)`)
    const second = await write(`DELETE FROM ${ns}.d WHERE id = 3`)
    const { router } = renderAt(`/tables/${ns}/d?tab=changes&snapshot=${first}`)

    const grid = await screen.findByRole('grid', { name: `Changes after snapshot ${first} up to snapshot ${second}` })
    expect(countsText()).toEqual(['Inserted: 0', 'Deleted: 1', 'Updated: 0'])
    expect(gridText(grid)).toEqual((await feed(ns, 'd', first, second)).lines)

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'From snapshot (exclusive)' }), 'start')
    const params = new URLSearchParams(router.state.location.search)
    expect(params.get('from')).toBe('start')
    // The time-travel choice stays in the URL while the range changes.
    expect(params.get('snapshot')).toBe(String(first))
    const whole = await screen.findByRole('grid', { name: `Changes up to snapshot ${second}` })
    expect(countsText()).toEqual(['Inserted: 3', 'Deleted: 1', 'Updated: 0'])
    expect(gridText(whole)).toEqual((await feed(ns, 'd', undefined, second)).lines)

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'To snapshot (inclusive)' }), String(first))
    await waitFor(() => expect(countsText()).toEqual(['Inserted: 3', 'Deleted: 0', 'Updated: 0']))
  })

  it('opens the changes of one snapshot from the history', async () => {
    const ns = await newNamespace()
    await write(`CREATE TABLE ${ns}.u (id BIGINT, v VARCHAR)`)
    const inserted = await write(`INSERT INTO ${ns}.u VALUES (1, 'x'), (2, 'y')`)
    const updated = await write(`UPDATE ${ns}.u SET v = 'z' WHERE id = 2`)
    await write(`INSERT INTO ${ns}.u VALUES (3, 'w')`)
    renderAt(`/tables/${ns}/u?tab=history`)
    await userEvent.click(await screen.findByRole('link', { name: `Changes in snapshot ${updated}` }))
    expect(screen.getByRole('tab', { name: 'Changes' })).toHaveAttribute('aria-selected', 'true')
    const grid = await screen.findByRole('grid', { name: `Changes after snapshot ${inserted} up to snapshot ${updated}` })
    expect(countsText()).toEqual(['Inserted: 0', 'Deleted: 0', 'Updated: 1'])
    expect(gridText(grid)).toEqual((await feed(ns, 'u', inserted, updated)).lines)
  })
})
