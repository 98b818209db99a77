// /tables/{ns}/{table}: the table's description, statistics and sections (Schema, Data, History,
// Changes), at the latest snapshot or, with ?snapshot=N, as of snapshot N (read-only).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router'
import { api, data, type Schemas } from '../api/client'
import { useCapabilities } from '../auth/AuthProvider'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount, formatTime } from '../ui/format'
import { ChangeDiff, type FromChoice } from './ChangeDiff'
import { ConfirmDialog } from '../ui/Dialog'
import { namespacePath } from './NamespaceTree'
import { PREVIEW_LIMITS, TablePreview } from './TablePreview'
import { TableSchema } from './TableSchema'
import { Tabs, tabPanelProps, type TabSpec } from './Tabs'
import { SnapshotHistory } from './SnapshotHistory'
import { useTable } from '../api/queries'
import { invalidateLake, useCatalogTable, useTableSnapshots } from './queries'
import { selectSql } from './sql'

type Section = 'schema' | 'data' | 'history' | 'changes'
const SECTIONS: TabSpec<Section>[] = [
  { key: 'schema', label: 'Schema' },
  { key: 'data', label: 'Data' },
  { key: 'history', label: 'History' },
  { key: 'changes', label: 'Changes' },
]

/** What the ingest wizard hands the table page after loading data (router state). */
export interface IngestedState {
  ingested: Schemas['IngestResult']
}

const toInteger = (text: string | null) => {
  if (text === null || text === '') return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) && value >= 0 ? value : NaN
}

const validOrUndefined = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? undefined : value)

export function TableView({ ns, table, onIngest }: { ns: string; table: string; onIngest(): void }) {
  const [params] = useSearchParams()
  const location = useLocation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const capabilities = useCapabilities()
  const [confirmingDrop, setConfirmingDrop] = useState(false)
  const asOfId = useId()

  const snapshot = toInteger(params.get('snapshot'))
  const travelling = snapshot !== undefined && !Number.isNaN(snapshot)
  const asOf = travelling ? snapshot : undefined
  const section = SECTIONS.find((tab) => tab.key === params.get('tab'))?.key ?? 'schema'
  const rowsParam = Number(params.get('rows'))
  const limit = PREVIEW_LIMITS.includes(rowsParam) ? rowsParam : PREVIEW_LIMITS[0]
  const fromParam = params.get('from')
  const from: FromChoice = fromParam === 'start' ? 'start' : validOrUndefined(toInteger(fromParam))
  const to = validOrUndefined(toInteger(params.get('to')))

  const description = useTable(ns, table)
  const snapshots = useTableSnapshots(ns, table)
  const catalog = useCatalogTable(ns, table, asOf)
  const canWrite = capabilities.namespace(ns, 'writer') && !travelling
  const newest = snapshots.data?.snapshots[0]?.snapshot_id
  const ingested = (location.state as IngestedState | null)?.ingested

  const drop = useMutation({
    mutationFn: async () => data(await api.DELETE('/api/v1/namespaces/{ns}/tables/{table}', { params: { path: { ns, table } } })),
    onSuccess: () => {
      // Away first: refreshing while this page shows would flash the table's 404.
      navigate(namespacePath(ns))
      void invalidateLake(queryClient)
    },
  })

  /** This page's URL with some parameters changed (undefined removes one); the rest stay. */
  const href = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params)
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) next.delete(name)
      else next.set(name, value)
    }
    const query = next.toString()
    return `${location.pathname}${query ? `?${query}` : ''}`
  }
  const go = (changes: Record<string, string | undefined>) => navigate(href(changes))
  const asOfHref = (id: number) => href({ snapshot: id === newest ? undefined : String(id), tab: 'data' })

  if (snapshot !== undefined && Number.isNaN(snapshot)) {
    return <ErrorMessage error={new Error(`"${params.get('snapshot')}" is not a snapshot id.`)} />
  }
  // An old snapshot may hold a table that is gone now: then the catalog alone describes it.
  if (description.isError && !travelling) return <ErrorMessage error={description.error} />
  const latest = description.data
  const shownSnapshot = travelling ? snapshot : newest
  const shownTime = snapshots.data?.snapshots.find((entry) => entry.snapshot_id === snapshot)?.time

  return (
    <section aria-labelledby="table-title" className="table-view">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/tables">Tables</Link> / <Link to={namespacePath(ns)}>{ns}</Link> /{' '}
        <span aria-current="page">{table}</span>
      </nav>
      <h1 id="table-title">
        {ns}.{table}
      </h1>
      {travelling && (
        <div className="time-travel" role="status">
          <span>
            Viewing <strong>as of snapshot {snapshot}</strong>
            {shownTime && ` (${formatTime(shownTime)})`}: read-only.
          </span>
          <Link to={href({ snapshot: undefined })}>Back to latest</Link>
        </div>
      )}
      {ingested && !travelling && (
        <p role="status" className="ingest-done">
          {ingested.created_table ? 'Created the table with' : 'Loaded'} {formatCount(ingested.rows_written)}{' '}
          {ingested.rows_written === 1 ? 'row' : 'rows'} (snapshot {ingested.snapshot_id}).
        </p>
      )}
      <dl className="table-stats" aria-label="Statistics">
        <div>
          <dt>Rows</dt>
          <dd>{travelling ? (catalog.data ? formatCount(catalog.data.rowCount) : '…') : latest ? formatCount(latest.row_count) : '…'}</dd>
        </div>
        {!travelling && latest && (
          <>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(latest.size_bytes)}</dd>
            </div>
            <div>
              <dt>Data files</dt>
              <dd>{formatCount(latest.file_count)}</dd>
            </div>
            <div>
              <dt>Snapshot</dt>
              <dd>{latest.snapshot_id}</dd>
            </div>
            <div>
              <dt>Created at snapshot</dt>
              <dd>{latest.created_snapshot}</dd>
            </div>
          </>
        )}
        {travelling && (
          <div>
            <dt>Snapshot</dt>
            <dd>{snapshot}</dd>
          </div>
        )}
      </dl>
      <div className="toolbar table-toolbar">
        <label htmlFor={asOfId}>Show as of</label>
        <select
            id={asOfId}
            value={travelling ? String(snapshot) : ''}
            onChange={(event) => go({ snapshot: event.target.value === '' ? undefined : event.target.value })}
          >
            <option value="">latest</option>
            {travelling && !snapshots.data?.snapshots.some((entry) => entry.snapshot_id === snapshot) && (
              <option value={String(snapshot)}>snapshot {snapshot}</option>
            )}
            {snapshots.data?.snapshots
              .filter((entry) => entry.operation !== 'drop')
              .map((entry) => (
                <option key={entry.snapshot_id} value={String(entry.snapshot_id)}>
                  snapshot {entry.snapshot_id}: {entry.operation}, {formatTime(entry.time)}
                </option>
              ))}
          </select>
        <Link to={`/sql?sql=${encodeURIComponent(selectSql(ns, table, asOf))}`}>Query in SQL</Link>
        {latest && (
          <Link to={`/lineage?node=${encodeURIComponent(latest.lineage.node_id)}`}>
            Lineage graph ({latest.lineage.upstream_jobs} upstream, {latest.lineage.downstream_jobs} downstream jobs)
          </Link>
        )}
        {canWrite && latest && (
          <span className="actions">
            <button type="button" onClick={onIngest}>
              Load data
            </button>
            <button type="button" className="danger" onClick={() => setConfirmingDrop(true)}>
              Drop table
            </button>
          </span>
        )}
      </div>

      <Tabs label="Table sections" prefix="table" tabs={SECTIONS} selected={section} onSelect={(key) => go({ tab: key })} />
      <div {...tabPanelProps('table', section)} className="tab-panel">
        {section === 'schema' && (
          <TableSchema
            ns={ns}
            table={table}
            description={latest}
            catalog={catalog.data}
            catalogError={catalog.error}
            snapshot={asOf}
            canEdit={canWrite}
          />
        )}
        {section === 'data' && (
          <TablePreview
            ns={ns}
            table={table}
            snapshot={asOf}
            limit={limit}
            total={travelling ? catalog.data?.rowCount : latest?.row_count}
            onLimit={(rows) => go({ rows: String(rows) })}
          />
        )}
        {section === 'history' && (
          <SnapshotHistory
            ns={ns}
            table={table}
            snapshots={snapshots.data?.snapshots}
            error={snapshots.error}
            shown={shownSnapshot}
            hrefFor={{
              asOf: asOfHref,
              changes: (id, previous) => href({ tab: 'changes', from: previous === undefined ? 'start' : String(previous), to: String(id) }),
            }}
          />
        )}
        {section === 'changes' &&
          (snapshots.isError ? (
            <ErrorMessage error={snapshots.error} />
          ) : snapshots.data ? (
            <ChangeDiff
              ns={ns}
              table={table}
              snapshots={snapshots.data.snapshots}
              from={from}
              to={to}
              onRange={(nextFrom, nextTo) =>
                go({ from: nextFrom === undefined ? undefined : String(nextFrom), to: nextTo === undefined ? undefined : String(nextTo) })
              }
            />
          ) : (
            <p className="muted">Loading…</p>
          ))}
      </div>

      {confirmingDrop && (
        <ConfirmDialog
          title={`Drop table ${ns}.${table}?`}
          confirmLabel="Drop table"
          busy={drop.isPending}
          error={drop.isError && <ErrorMessage error={drop.error} />}
          onConfirm={() => drop.mutate()}
          onClose={() => {
            setConfirmingDrop(false)
            drop.reset()
          }}
        >
          <p>The table goes from the latest snapshot on; older snapshots still see it.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
