// Turns a change feed (GET …/changes: snapshot_id, change_type, then the table's columns) into a
// diff: per snapshot, deleted rows, inserted rows, then each updated row as its old version right
// above its new one. The feed has no row ids, so an update's pre- and post-images are paired by a
// column that identifies them (unique and unchanged), else by the most equal values.
import type { ResultColumn } from '../api/query'

export type ChangeKind = 'deleted' | 'inserted' | 'updated-before' | 'updated-after'

export const CHANGE_LABEL: Record<ChangeKind, string> = {
  deleted: 'deleted',
  inserted: 'inserted',
  'updated-before': 'updated: before',
  'updated-after': 'updated: after',
}

export interface Diff {
  /** The grid's columns: the change, the snapshot, then the table's. */
  columns: ResultColumn[]
  /** Grid rows: [label, snapshot_id, ...values]. */
  rows: unknown[][]
  kindOf: WeakMap<unknown[], ChangeKind>
  /** An updated row's other version, to show which values changed. */
  partnerOf: WeakMap<unknown[], unknown[]>
  counts: { inserted: number; deleted: number; updated: number }
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b)
const keyOf = (value: unknown) => (typeof value === 'string' ? `s${value}` : `j${JSON.stringify(value)}`)

const equalCells = (a: unknown[], b: unknown[]) => a.reduce<number>((count, value, i) => count + (same(value, b[i]) ? 1 : 0), 0)

/** The pairing by `column` if its values tell the rows apart on both sides, else null. */
function pairByColumn(before: unknown[][], after: unknown[][], column: number): number[] | null {
  const index = new Map<string, number>()
  for (let i = 0; i < before.length; i++) {
    const value = before[i][column]
    const key = keyOf(value)
    if (value === null || index.has(key)) return null
    index.set(key, i)
  }
  const partner = new Array<number>(before.length).fill(-1)
  for (let j = 0; j < after.length; j++) {
    const i = index.get(keyOf(after[j][column]))
    if (i === undefined || partner[i] >= 0) return null
    partner[i] = j
  }
  return partner
}

/** Pairs of an update's old and new versions; a side without a partner gets undefined. */
export function pairUpdates(before: unknown[][], after: unknown[][]): [unknown[] | undefined, unknown[] | undefined][] {
  const width = before[0]?.length ?? after[0]?.length ?? 0
  if (before.length === after.length && before.length > 0) {
    // Of the columns that could be a key, the one whose pairs agree on the most other values:
    // an updated column can look like a key too (`SET id = 3 - id`).
    let best: number[] | null = null
    let bestScore = -1
    for (let column = 0; column < width; column++) {
      const partner = pairByColumn(before, after, column)
      if (!partner) continue
      const score = partner.reduce((sum, j, i) => sum + equalCells(before[i], after[j]), 0)
      if (score > bestScore) {
        best = partner
        bestScore = score
      }
    }
    if (best) return before.map((row, i) => [row, after[best[i]]])
  }
  const pairs: [unknown[] | undefined, unknown[] | undefined][] = []
  const used = new Array<boolean>(after.length).fill(false)
  // Closest match costs rows × rows; past that, the feed's order is the best guess there is.
  const closest = before.length * after.length <= 250_000
  let next = 0
  for (const row of before) {
    let pick = -1
    if (closest) {
      let pickScore = -1
      for (let j = 0; j < after.length; j++) {
        if (used[j]) continue
        const score = equalCells(row, after[j])
        if (score > pickScore) {
          pick = j
          pickScore = score
        }
      }
    } else {
      while (next < after.length && used[next]) next++
      pick = next < after.length ? next : -1
    }
    if (pick >= 0) used[pick] = true
    pairs.push([row, pick >= 0 ? after[pick] : undefined])
  }
  after.forEach((row, j) => {
    if (!used[j]) pairs.push([undefined, row])
  })
  return pairs
}

/** `columns` and `feed` as the change feed gives them. */
export function buildDiff(columns: ResultColumn[], feed: unknown[][]): Diff {
  const diff: Diff = {
    // Named as the feed's column, which is also wide enough for the grid to show every label whole.
    columns: [{ name: 'change_type', type: 'VARCHAR' }, columns[0], ...columns.slice(2)],
    rows: [],
    kindOf: new WeakMap(),
    partnerOf: new WeakMap(),
    counts: { inserted: 0, deleted: 0, updated: 0 },
  }
  const push = (kind: ChangeKind, snapshot: unknown, values: unknown[]) => {
    const row = [CHANGE_LABEL[kind], snapshot, ...values]
    diff.rows.push(row)
    diff.kindOf.set(row, kind)
    return row
  }

  let start = 0
  while (start < feed.length) {
    const snapshot = feed[start][0]
    let end = start
    while (end < feed.length && same(feed[end][0], snapshot)) end++
    const groups: Record<string, unknown[][]> = { delete: [], insert: [], update_preimage: [], update_postimage: [] }
    for (let i = start; i < end; i++) groups[String(feed[i][1])]?.push(feed[i].slice(2))
    for (const values of groups.delete) push('deleted', snapshot, values)
    for (const values of groups.insert) push('inserted', snapshot, values)
    for (const [before, after] of pairUpdates(groups.update_preimage, groups.update_postimage)) {
      const old = before && push('updated-before', snapshot, before)
      const now = after && push('updated-after', snapshot, after)
      if (old && now) {
        diff.partnerOf.set(old, now)
        diff.partnerOf.set(now, old)
      }
    }
    diff.counts.deleted += groups.delete.length
    diff.counts.inserted += groups.insert.length
    diff.counts.updated += Math.max(groups.update_preimage.length, groups.update_postimage.length)
    start = end
  }
  return diff
}

/** Whether a diff cell differs from the same cell of the row's other version. */
export function isChangedCell(diff: Diff, row: unknown[], column: number): boolean {
  const partner = diff.partnerOf.get(row)
  return column >= 2 && partner !== undefined && !same(partner[column], row[column])
}
