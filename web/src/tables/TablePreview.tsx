// The Data section: the table's first rows (never the whole table) in the shared grid.
import { useId } from 'react'
import { DataGrid } from '../ui/DataGrid'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount } from '../ui/format'
import { usePreview } from './queries'

/** The preview route's range (docs/API.md: limit 0 to 10000). */
export const PREVIEW_LIMITS = [100, 1000, 10000]

export function TablePreview({
  ns,
  table,
  snapshot,
  limit,
  total,
  onLimit,
}: {
  ns: string
  table: string
  snapshot?: number
  limit: number
  /** The table's row count, when known. */
  total?: number
  onLimit(limit: number): void
}) {
  const preview = usePreview(ns, table, limit, snapshot)
  const limitId = useId()
  const label = snapshot === undefined ? `Rows of ${ns}.${table}` : `Rows of ${ns}.${table} as of snapshot ${snapshot}`

  return (
    <div className="table-preview">
      <div className="toolbar">
        <label htmlFor={limitId}>Rows to show</label>
        <select id={limitId} value={limit} onChange={(event) => onLimit(Number(event.target.value))}>
          {PREVIEW_LIMITS.map((option) => (
            <option key={option} value={option}>
              first {formatCount(option)}
            </option>
          ))}
        </select>
        {preview.data && (
          <span className="muted" role="status">
            {formatCount(preview.data.rows.length)}
            {total !== undefined && ` of ${formatCount(total)}`} {(total ?? preview.data.rows.length) === 1 ? 'row' : 'rows'}{' '}
            shown. Sorting orders the rows shown.
          </span>
        )}
        {preview.isFetching && preview.data && <span className="muted">Refreshing…</span>}
      </div>
      {preview.isPending && <p className="muted">Loading rows…</p>}
      {preview.isError && <ErrorMessage error={preview.error} />}
      {preview.data && <DataGrid columns={preview.data.columns} rows={preview.data.rows} label={label} height={420} />}
    </div>
  )
}
