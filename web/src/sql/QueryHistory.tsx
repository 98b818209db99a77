// The statements this browser ran, newest first; choosing one puts it back in the editor.
import { useId } from 'react'
import { formatCount, formatDuration, formatTime } from '../ui/format'
import type { HistoryEntry } from './history'

interface Props {
  entries: HistoryEntry[]
  onRestore(entry: HistoryEntry): void
  onClear(): void
}

const PREVIEW_CHARS = 160

function preview(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim()
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line
}

function outcome(entry: HistoryEntry): string {
  const rows = `${formatCount(entry.rowCount)} ${entry.rowCount === 1 ? 'row' : 'rows'}`
  switch (entry.outcome) {
    case 'done':
      return rows
    case 'cancelled':
      return `cancelled after ${rows}`
    case 'failed':
      return `failed: ${entry.error ?? 'unknown error'}`
  }
}

export function QueryHistory({ entries, onRestore, onClear }: Props) {
  const id = useId()
  return (
    <aside className="sql-history" aria-labelledby={`${id}-title`}>
      <div className="sql-history-head">
        <h2 id={`${id}-title`}>History</h2>
        <button type="button" onClick={onClear} disabled={entries.length === 0}>
          Clear history
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="muted">The statements you run are kept here, in this browser.</p>
      ) : (
        <ol className="sql-history-list" aria-label="Query history">
          {entries.map((entry) => (
            <li key={entry.id} className={entry.outcome === 'failed' ? 'failed' : undefined}>
              <button
                type="button"
                className="sql-history-sql mono"
                title={entry.sql}
                aria-label={`Restore ${preview(entry.sql)}`}
                aria-describedby={`${id}-${entry.id}`}
                onClick={() => onRestore(entry)}
              >
                {preview(entry.sql)}
              </button>
              <span id={`${id}-${entry.id}`} className="sql-history-meta">
                {formatTime(entry.at)} · {formatDuration(entry.durationMs)}
                {entry.snapshot !== null && ` · snapshot ${entry.snapshot}`} · {outcome(entry)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  )
}
