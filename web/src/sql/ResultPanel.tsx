// The result of the last statement: what happened (announced), the rows in the grid or a chart,
// and exports of the whole result.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { Link } from 'react-router'
import type { ExportFormat } from '../api/query'
import { useWritableVolumes } from '../auth/writableVolumes'
import { DataGrid } from '../ui/DataGrid'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount, formatDuration } from '../ui/format'
import { objectUrl } from '../ui/routes'
import { exportFilename, exportResult, type ExportOutcome } from './export'
import { ResultChart } from './ResultChart'
import { SaveToVolumeDialog, type SavedResult } from './SaveToVolume'
import { describeWrite, isReadStatement, writeSummary } from './statement'
import type { RunRequest, RunState } from './useQueryRun'

const rowsText = (count: number) => `${formatCount(count)} ${count === 1 ? 'row' : 'rows'}`

/** One line that says how the run went; a screen reader hears it when it changes. */
function statusText(state: RunState): string {
  const elapsed = formatDuration(state.elapsedMs ?? 0)
  switch (state.phase) {
    case 'idle':
      return ''
    case 'running':
      return 'Running…'
    case 'cancelled':
      return `Cancelled after ${rowsText(state.rowCount)} (${elapsed})`
    case 'failed':
      return state.cutOff ? `Cut off after ${rowsText(state.rowCount)} (${elapsed})` : `Failed after ${elapsed}`
    case 'done': {
      const sql = state.request!.sql
      const write = writeSummary(sql, state.columns, state.rows)
      if (write) return `${describeWrite(sql, write, formatCount)} (${elapsed})`
      const first = state.rowCount > 0 ? ` · first row after ${formatDuration(state.firstRowMs ?? 0)}` : ''
      const read = state.snapshot ?? state.request!.snapshot
      const snapshot = read !== undefined && read !== null ? ` · read at snapshot ${read}` : ''
      return `${rowsText(state.rowCount)} in ${elapsed}${first}${snapshot}`
    }
  }
}

type View = 'grid' | 'chart'
const VIEWS: { view: View; label: string }[] = [
  { view: 'grid', label: 'Grid' },
  { view: 'chart', label: 'Chart' },
]

function exportedText(outcome: ExportOutcome): string {
  switch (outcome.kind) {
    case 'saved':
      return `Saved ${outcome.name} (${formatBytes(outcome.bytes)})`
    case 'downloaded':
      return `Downloaded ${outcome.name}`
    case 'dismissed':
      return ''
  }
}

/** Saves the whole result (not only the rows the grid holds) by running the statement again: as a
 *  file of the user's, or as an object in a volume. */
function ExportButtons({ request, disabled }: { request: RunRequest; disabled: boolean }) {
  const [exporting, setExporting] = useState<ExportFormat | null>(null)
  const [exported, setExported] = useState('')
  const [error, setError] = useState<unknown>(null)
  const writableVolumes = useWritableVolumes()
  const [savingToVolume, setSavingToVolume] = useState(false)
  const [saved, setSaved] = useState<SavedResult | null>(null)
  const controller = useRef<AbortController | null>(null)

  // An export the panel no longer shows must not go on to save a file later.
  useEffect(() => () => controller.current?.abort(), [])

  const run = async (format: ExportFormat) => {
    const own = new AbortController()
    controller.current = own
    setExporting(format)
    setExported('')
    setSaved(null)
    setError(null)
    try {
      setExported(exportedText(await exportResult(request, format, exportFilename(format), own.signal)))
    } catch (caught) {
      if (own.signal.aborted) setExported('Export cancelled')
      else setError(caught)
    } finally {
      controller.current = null
      setExporting(null)
    }
  }

  return (
    <div className="sql-export" role="group" aria-label="Export the result">
      <button type="button" disabled={disabled || exporting !== null} onClick={() => void run('csv')}>
        {exporting === 'csv' ? 'Exporting CSV…' : 'Export CSV'}
      </button>
      <button type="button" disabled={disabled || exporting !== null} onClick={() => void run('parquet')}>
        {exporting === 'parquet' ? 'Exporting Parquet…' : 'Export Parquet'}
      </button>
      {writableVolumes.length > 0 && (
        <button type="button" disabled={disabled || exporting !== null} onClick={() => setSavingToVolume(true)}>
          Save to volume…
        </button>
      )}
      {exporting !== null && (
        <button type="button" onClick={() => controller.current?.abort()}>
          Cancel export
        </button>
      )}
      <span role="status" className="muted">
        {saved ? (
          <>
            Saved to <Link to={objectUrl(saved.volume, saved.key)}>{`${saved.volume}/${saved.key}`}</Link> (
            {formatBytes(saved.size)}, read at snapshot {saved.snapshot_id})
          </>
        ) : (
          exported
        )}
      </span>
      {error !== null && <ErrorMessage error={error} />}
      {savingToVolume && (
        <SaveToVolumeDialog
          request={request}
          volumes={writableVolumes}
          onSaved={(result) => {
            setSavingToVolume(false)
            setExported('')
            setError(null)
            setSaved(result)
          }}
          onClose={() => setSavingToVolume(false)}
        />
      )}
    </div>
  )
}

export function ResultPanel({ state }: { state: RunState }) {
  const id = useId()
  const [view, setView] = useState<View>('grid')

  const { request, columns } = state
  const isRead = request !== null && isReadStatement(request.sql)
  const isWrite = request !== null && state.phase === 'done' && writeSummary(request.sql, columns, state.rows) !== null

  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
    event.preventDefault()
    const next = VIEWS[(VIEWS.findIndex((option) => option.view === view) + 1) % VIEWS.length].view
    setView(next)
    document.getElementById(`${id}-tab-${next}`)?.focus()
  }

  return (
    <section className="sql-result" aria-labelledby={`${id}-title`}>
      <div className="sql-result-head">
        <h2 id={`${id}-title`}>Result</h2>
        {request?.snapshot !== undefined && <span className="badge">snapshot {request.snapshot}</span>}
        <p role="status" className="sql-status">
          {statusText(state)}
        </p>
        {state.phase === 'running' && columns !== null && (
          <span className="muted">{rowsText(state.rowCount)} so far</span>
        )}
      </div>
      {state.rowCount > state.rows.length && (
        <p className="sql-note">
          The grid holds only the first {formatCount(state.rows.length)} rows
          {state.phase === 'running' ? '' : ` of ${formatCount(state.rowCount)}`}. Export the result to get all of them.
        </p>
      )}
      {columns !== null && !isWrite && (
        <div className="sql-result-bar">
          <div role="tablist" aria-label="Show the result as" className="sql-tabs">
            {VIEWS.map((option) => (
              <button
                key={option.view}
                id={`${id}-tab-${option.view}`}
                type="button"
                role="tab"
                aria-selected={view === option.view}
                aria-controls={`${id}-panel`}
                tabIndex={view === option.view ? 0 : -1}
                onClick={() => setView(option.view)}
                onKeyDown={onTabKey}
              >
                {option.label}
              </button>
            ))}
          </div>
          {isRead && (
            <ExportButtons
              key={state.runId}
              request={{ sql: request.sql, snapshot: state.snapshot ?? request.snapshot }}
              disabled={state.phase === 'running'}
            />
          )}
        </div>
      )}
      {columns !== null &&
        (isWrite ? (
          <DataGrid key={state.runId} label="Query result" columns={columns} rows={state.rows} version={state.version} height={90} />
        ) : (
          <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${view}`}>
            {view === 'grid' ? (
              <DataGrid key={state.runId} label="Query result" columns={columns} rows={state.rows} version={state.version} />
            ) : (
              <ResultChart key={state.runId} columns={columns} rows={state.rows} version={state.version} />
            )}
          </div>
        ))}
    </section>
  )
}
