// What a statement is, read from its text and its result: a read may run again on its own (opening a
// shared link, exporting), a write must not.
import type { ResultColumn, Row } from '../api/query'

const READS = new Set(['select', 'with', 'values', 'from', 'table', 'describe', 'show', 'summarize', 'explain', 'pivot', 'unpivot'])

/** The statement's first keyword, lower case, past comments, whitespace and opening parentheses. */
export function firstKeyword(sql: string): string {
  let i = 0
  while (i < sql.length) {
    const c = sql[i]
    if (/\s|\(/.test(c)) {
      i++
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i)
      i = end < 0 ? sql.length : end + 1
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else {
      break
    }
  }
  return /^[A-Za-z]+/.exec(sql.slice(i))?.[0].toLowerCase() ?? ''
}

/** The snapshot field's text as a snapshot id: undefined for "latest", null when it is not one. */
export function parseSnapshot(text: string): number | undefined | null {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  if (!/^\d+$/.test(trimmed)) return null
  const value = Number(trimmed)
  return Number.isSafeInteger(value) ? value : null
}

/** True for a query, which the SQL sandbox never lets write (a leading WITH cannot start a write). */
export function isReadStatement(sql: string): boolean {
  return READS.has(firstKeyword(sql))
}

export interface WriteSummary {
  /** rows_written, rows_deleted or rows_updated */
  countColumn: string
  count: number
  snapshotId: number
}

/** A write's one-row answer (docs/API.md, Query): its count column and the snapshot it committed. */
export function writeSummary(sql: string, columns: ResultColumn[] | null, rows: Row[]): WriteSummary | null {
  if (isReadStatement(sql) || !columns || columns.length !== 2 || rows.length !== 1) return null
  const [count, snapshot] = columns
  if (!/^rows_(written|deleted|updated)$/.test(count.name) || snapshot.name !== 'snapshot_id') return null
  return { countColumn: count.name, count: Number(rows[0][0]), snapshotId: Number(rows[0][1]) }
}

const VERBS: Record<string, string> = { rows_written: 'Wrote', rows_deleted: 'Deleted', rows_updated: 'Updated' }

export function describeWrite(sql: string, write: WriteSummary, count: (n: number) => string): string {
  const keyword = firstKeyword(sql)
  const did =
    keyword === 'alter' || keyword === 'drop'
      ? 'Changed the table'
      : `${VERBS[write.countColumn]} ${count(write.count)} ${write.count === 1 ? 'row' : 'rows'}`
  return `${did} · snapshot ${write.snapshotId}`
}
