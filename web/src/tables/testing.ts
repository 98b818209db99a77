// Set-up for the Tables tests: data made through the API and SQL, and the reference answers the
// pages are compared with.
import { api, data } from '../api/client'
import { runQuery, type Row } from '../api/query'
import { uniqueName } from '../../test/render'
import { formatCell } from '../ui/format'

export async function sql(statement: string, snapshot?: number) {
  return runQuery({ sql: statement, snapshot })
}

/** Runs a write and returns the snapshot it committed. */
export async function write(statement: string): Promise<number> {
  const result = await runQuery({ sql: statement })
  return Number(result.rows[0][1])
}

export async function newNamespace(prefix = 'tbl'): Promise<string> {
  const name = uniqueName(prefix)
  data(await api.POST('/api/v1/namespaces', { body: { name } }))
  return name
}

/** Rows as the grid shows them (formatCell), sorted, so order does not matter. */
export function asText(rows: Row[]): string[] {
  return rows.map((row) => row.map(formatCell).join(' | ')).sort()
}

/** The text of a grid's data rows, sorted. */
export function gridText(grid: HTMLElement): string[] {
  return Array.from(grid.querySelectorAll('[role="rowgroup"]:not(.data-grid-head) [role="row"]'))
    .map((row) => Array.from(row.querySelectorAll('[role="gridcell"]')).map((cell) => cell.textContent).join(' | '))
    .sort()
}
