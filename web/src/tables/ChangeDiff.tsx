// The Changes section: the change feed between two snapshots as a diff, coloured by the grid's
// diff classes, with counts.
import { useId, useMemo } from 'react'
import { DataGrid } from '../ui/DataGrid'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCell, formatCount } from '../ui/format'
import { buildDiff, isChangedCell } from './changes'
import { useChanges, type TableSnapshot } from './queries'

/** The most changed rows fetched at once; a wider range is narrowed by the user. */
export const CHANGE_LIMIT = 10_000

/** `from` as the URL has it: a snapshot, 'start' (the table's whole history), or the default. */
export type FromChoice = number | 'start' | undefined

export function ChangeDiff({
  ns,
  table,
  snapshots,
  from,
  to,
  onRange,
}: {
  ns: string
  table: string
  snapshots: TableSnapshot[]
  from: FromChoice
  to?: number
  onRange(from: FromChoice, to: number | undefined): void
}) {
  const fromId = useId()
  const toId = useId()
  const ids = snapshots.map((snapshot) => snapshot.snapshot_id)
  const operationOf = new Map(snapshots.map((snapshot) => [snapshot.snapshot_id, snapshot.operation]))
  // By default: what the table's newest snapshot (or the chosen `to`) changed.
  const effectiveTo = to ?? ids[0]
  const older = ids.filter((id) => effectiveTo !== undefined && id < effectiveTo)
  const effectiveFrom = from === 'start' ? undefined : (from ?? older[0])
  const invalid = effectiveFrom !== undefined && effectiveTo !== undefined && effectiveFrom >= effectiveTo
  const changes = useChanges(ns, table, effectiveFrom, effectiveTo, CHANGE_LIMIT, effectiveTo !== undefined && !invalid)
  const diff = useMemo(() => (changes.data ? buildDiff(changes.data.columns, changes.data.rows) : undefined), [changes.data])

  if (effectiveTo === undefined) return <p className="muted">The table has no snapshots to compare.</p>

  // A snapshot from the URL that did not change this table is still a valid end of a range.
  const choices = (extra: number | undefined) =>
    (extra === undefined || ids.includes(extra) ? ids : [...ids, extra].sort((a, b) => b - a)).map((id) => (
      <option key={id} value={id}>
        {id}
        {operationOf.has(id) ? ` (${operationOf.get(id)})` : ''}
      </option>
    ))
  const range =
    effectiveFrom === undefined
      ? `up to snapshot ${effectiveTo}`
      : `after snapshot ${effectiveFrom} up to snapshot ${effectiveTo}`

  return (
    <div className="change-diff">
      <div className="toolbar">
        <label htmlFor={fromId}>From snapshot (exclusive)</label>
        <select
          id={fromId}
          value={effectiveFrom === undefined ? 'start' : String(effectiveFrom)}
          onChange={(event) => onRange(event.target.value === 'start' ? 'start' : Number(event.target.value), effectiveTo)}
        >
          <option value="start">start of history</option>
          {choices(effectiveFrom)}
        </select>
        <label htmlFor={toId}>To snapshot (inclusive)</label>
        <select id={toId} value={effectiveTo} onChange={(event) => onRange(from, Number(event.target.value))}>
          {choices(effectiveTo)}
        </select>
      </div>
      {invalid ? (
        <p role="alert" className="error">
          “From” must be an older snapshot than “To”.
        </p>
      ) : (
        <>
          {changes.isPending && <p className="muted">Loading changes…</p>}
          {changes.isError && <ErrorMessage error={changes.error} />}
          {diff && (
            <>
              <ul className="change-counts" aria-label="Change counts">
                <li className="inserted">
                  Inserted: <strong>{formatCount(diff.counts.inserted)}</strong>
                </li>
                <li className="deleted">
                  Deleted: <strong>{formatCount(diff.counts.deleted)}</strong>
                </li>
                <li className="updated">
                  Updated: <strong>{formatCount(diff.counts.updated)}</strong>
                </li>
              </ul>
              {changes.data && changes.data.rows.length >= CHANGE_LIMIT && (
                <p className="muted">
                  Only the first {formatCount(CHANGE_LIMIT)} changed rows are shown (and counted); narrow the range to
                  see the rest.
                </p>
              )}
              {diff.rows.length === 0 ? (
                <p className="muted">No rows changed {range}.</p>
              ) : (
                <DataGrid
                  columns={diff.columns}
                  rows={diff.rows}
                  label={`Changes ${range}`}
                  sortable={false}
                  height={Math.min(420, 60 + diff.rows.length * 28)}
                  rowClassName={(row) => diff.kindOf.get(row)}
                  renderCell={(value, row, column) =>
                    isChangedCell(diff, row, column) ? <mark className="changed-value">{formatCell(value)}</mark> : formatCell(value)
                  }
                />
              )}
            </>
          )}
        </>
      )}
    </div>
  )
}
