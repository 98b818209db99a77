// The History section: every snapshot that changed the table, newest first, with links to see the
// table as of it and to see what it changed.
import { Link } from 'react-router'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount, formatTime } from '../ui/format'
import type { TableSnapshot } from './queries'

export function SnapshotHistory({
  ns,
  table,
  snapshots,
  error,
  shown,
  hrefFor,
}: {
  ns: string
  table: string
  snapshots?: TableSnapshot[]
  error: unknown
  /** The snapshot the page shows (the latest when not travelling). */
  shown?: number
  hrefFor: { asOf(snapshot: number): string; changes(snapshot: number, previous?: number): string }
}) {
  if (error) return <ErrorMessage error={error} />
  if (!snapshots) return <p className="muted">Loading…</p>
  if (snapshots.length === 0) return <p className="muted">No snapshots of this table are kept.</p>

  return (
    <table aria-label={`Snapshots of ${ns}.${table}`} className="tables-list history-table">
      <thead>
        <tr>
          <th scope="col" className="numeric">
            Snapshot
          </th>
          <th scope="col">Time</th>
          <th scope="col">Operation</th>
          <th scope="col" className="numeric">
            Rows added
          </th>
          <th scope="col" className="numeric">
            Rows deleted
          </th>
          <th scope="col">Author</th>
          <th scope="col">Message</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {snapshots.map((snapshot, index) => {
          const id = snapshot.snapshot_id
          const previous = snapshots[index + 1]?.snapshot_id
          const isShown = shown === id
          return (
            <tr key={id} aria-current={isShown ? 'true' : undefined} className={isShown ? 'shown' : undefined}>
              <td className="numeric">{id}</td>
              <td>{formatTime(snapshot.time)}</td>
              <td>
                <span className={`badge op-${snapshot.operation}`}>{snapshot.operation}</span>
              </td>
              <td className="numeric">{formatCount(snapshot.rows_added)}</td>
              <td className="numeric">{formatCount(snapshot.rows_deleted)}</td>
              <td>{snapshot.author ?? <span className="muted">—</span>}</td>
              <td className="message">{snapshot.message ?? <span className="muted">—</span>}</td>
              <td className="row-actions">
                {snapshot.operation !== 'drop' && (
                  <Link to={hrefFor.asOf(id)} aria-label={`View as of snapshot ${id}`}>
                    {isShown ? 'Shown' : 'View'}
                  </Link>
                )}
                {(snapshot.rows_added > 0 || snapshot.rows_deleted > 0) && (
                  <Link to={hrefFor.changes(id, previous)} aria-label={`Changes in snapshot ${id}`}>
                    Changes
                  </Link>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
