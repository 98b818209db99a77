// Loading data into a table: pick a local file or a volume object, a target and the reader's
// options, preview what the ingest would read (a dry run, nothing written), then load it.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useCapabilities } from '../auth/AuthProvider'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes } from '../ui/format'
import { Dialog } from '../ui/Dialog'
import { NameSelect } from '../ui/NameSelect'
import { IngestPreview } from './IngestPreview'
import {
  DETECT_ALL,
  dryRunFile,
  FORMATS,
  formatOfFile,
  formatOfName,
  ingestObject,
  ingestQuery,
  uploadFile,
  type IngestDryRun,
  type IngestMode,
  type IngestResult,
  type ReadOptions,
} from './ingest'
import { useNamespaces, useTables } from '../api/queries'
import { invalidateLake } from './queries'
import { nameProblem, tableNameFromKey } from './sql'
import { VolumeObjectPicker } from './VolumeObjectPicker'

type Target = 'create' | IngestMode

const TARGETS: { value: Target; label: string; action: string }[] = [
  { value: 'create', label: 'Create a new table', action: 'Create table' },
  { value: 'append', label: 'Append to a table', action: 'Append rows' },
  { value: 'overwrite', label: "Replace a table's rows", action: 'Replace rows' },
]

export interface IngestStart {
  ns?: string
  table?: string
  volume?: string
  objectKey?: string
}

const PREVIEW_ROWS = 50

export function IngestWizard({
  start,
  onClose,
  onDone,
}: {
  start: IngestStart
  onClose(): void
  onDone(ns: string, table: string, result: IngestResult): void
}) {
  const capabilities = useCapabilities()
  const queryClient = useQueryClient()
  const namespaces = useNamespaces()
  const ids = { ns: useId(), table: useId(), newTable: useId(), format: useId(), file: useId(), progress: useId() }

  const [sourceKind, setSourceKind] = useState<'file' | 'object'>(start.volume ? 'object' : 'file')
  const [file, setFile] = useState<File | null>(null)
  const [volume, setVolume] = useState(start.volume ?? '')
  const [objectKey, setObjectKey] = useState(start.objectKey ?? '')
  const [ns, setNs] = useState(start.ns ?? '')
  const [target, setTarget] = useState<Target>(start.table ? 'append' : 'create')
  const [existingTable, setExistingTable] = useState(start.table ?? '')
  const [newTable, setNewTable] = useState(() => (start.objectKey ? tableNameFromKey(start.objectKey) : ''))
  const [options, setOptions] = useState<ReadOptions>(DETECT_ALL)
  // Closing the dialog cancels what it is sending: a preview's file or the load.
  const [closing] = useState(() => new AbortController())
  /** The local file the load is sending, and how much of it has gone. */
  const [sending, setSending] = useState<Sending | null>(null)

  const writable = namespaces.data?.namespaces.filter((entry) => capabilities.namespace(entry.name, 'writer')) ?? []
  const tables = useTables(ns === '' ? undefined : ns)
  const tableNames = tables.data?.tables.map((entry) => entry.name) ?? []
  const table = target === 'create' ? newTable.trim() : existingTable
  const mode: IngestMode = target === 'create' ? 'append' : target

  const detected = sourceKind === 'file' ? (file ? formatOfFile(file) : undefined) : objectKey ? formatOfName(objectKey) : undefined
  const format = options.format || detected
  // Objects without a telling extension are typed by the server from their content type: the CSV
  // options stay on offer for them.
  const csv = format === 'csv' || (format === undefined && sourceKind === 'object')
  const query = ingestQuery(options, mode, csv)

  const problem = (() => {
    if (sourceKind === 'file' && !file) return 'Choose a file.'
    if (sourceKind === 'file' && !format) return "Choose the file's format."
    if (sourceKind === 'object' && (!volume || !objectKey)) return 'Choose a volume object.'
    if (!ns) return 'Choose a namespace.'
    if (target === 'create') {
      const bad = nameProblem(table)
      if (bad) return bad
      if (tableNames.some((name) => name.toLowerCase() === table.toLowerCase())) {
        return `${ns}.${table} already exists: append to it or replace its rows instead.`
      }
    } else if (!table) return 'Choose a table.'
    if (options.skip.trim() && !/^\d+$/.test(options.skip.trim())) return 'Lines to skip must be a whole number.'
    return null
  })()
  // The preview is of these exact settings; after any change it must be made again.
  const signature = JSON.stringify([sourceKind, file?.name, file?.size, file?.lastModified, volume, objectKey, ns, table, target, query, format])

  const preview = useMutation({
    mutationFn: async (): Promise<{ result: IngestDryRun; partial: boolean; signature: string }> => {
      const dryRun = { ...query, dry_run: true, limit: PREVIEW_ROWS }
      if (sourceKind === 'object') {
        const result = await ingestObject(ns, table, volume, objectKey, dryRun, closing.signal)
        if (!('dry_run' in result)) throw new Error('the server loaded the data instead of previewing it')
        return { result, partial: false, signature }
      }
      return { ...(await dryRunFile(ns, table, file!, format!, query, PREVIEW_ROWS, closing.signal)), signature }
    },
  })
  const load = useMutation({
    mutationFn: async (): Promise<IngestResult> => {
      if (sourceKind === 'object') {
        setSending(null)
        const result = await ingestObject(ns, table, volume, objectKey, query, closing.signal)
        if ('dry_run' in result) throw new Error('the server previewed the data instead of loading it')
        return result
      }
      const name = file!.name
      setSending({ name, sent: 0, total: file!.size })
      return uploadFile(ns, table, file!, format!, query, {
        signal: closing.signal,
        onProgress: (sent, total) => setSending({ name, sent, total }),
      })
    },
    onSuccess: async (result) => {
      await invalidateLake(queryClient)
      // A load the user closed the dialog on may still have been committed: the lake changed, but
      // the user has moved on and is not taken anywhere.
      if (!closing.signal.aborted) onDone(ns, table, result)
    },
  })

  const current = preview.data?.signature === signature ? preview.data : undefined
  const refused =
    current && target === 'create' && current.result.table.exists ? `${ns}.${table} already exists.` : null
  const canLoad = problem === null && current !== undefined && refused === null && !load.isPending
  const action = TARGETS.find((entry) => entry.value === target)!.action
  const setOption = (name: keyof ReadOptions, value: string) => setOptions((previous) => ({ ...previous, [name]: value }))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (problem === null) preview.mutate()
  }

  const cancel = () => {
    closing.abort()
    onClose()
  }

  return (
    <Dialog title="Load data into a table" onClose={cancel} wide>
      <form className="dialog-form ingest-form" onSubmit={submit}>
        <fieldset>
          <legend>1. Source</legend>
          <div className="radio-row">
            <label className="checkbox">
              <input type="radio" name="ingest-source" checked={sourceKind === 'file'} onChange={() => setSourceKind('file')} />
              Upload a local file
            </label>
            <label className="checkbox">
              <input type="radio" name="ingest-source" checked={sourceKind === 'object'} onChange={() => setSourceKind('object')} />
              An object in a volume
            </label>
          </div>
          {sourceKind === 'file' ? (
            <div className="toolbar">
              <label htmlFor={ids.file}>File</label>
              <input
                id={ids.file}
                type="file"
                accept=".csv,.tsv,.parquet,.json,.ndjson,.jsonl,text/csv,application/json,application/x-ndjson,application/vnd.apache.parquet"
                onChange={(event) => {
                  const chosen = event.target.files?.[0] ?? null
                  setFile(chosen)
                  if (chosen && target === 'create' && newTable === '') setNewTable(tableNameFromKey(chosen.name))
                }}
              />
              {file && <span className="muted">{formatBytes(file.size)}</span>}
            </div>
          ) : (
            <VolumeObjectPicker
              volume={volume}
              objectKey={objectKey}
              onChange={(nextVolume, nextKey) => {
                setVolume(nextVolume)
                setObjectKey(nextKey)
                if (nextKey && target === 'create' && newTable === '') setNewTable(tableNameFromKey(nextKey))
              }}
            />
          )}
          <div className="toolbar">
            <label htmlFor={ids.format}>Format</label>
            <select id={ids.format} value={options.format} onChange={(event) => setOption('format', event.target.value)}>
              <option value="">{detected ? `detect (${detected.toUpperCase()})` : 'detect'}</option>
              {FORMATS.map((entry) => (
                <option key={entry.value} value={entry.value}>
                  {entry.label}
                </option>
              ))}
            </select>
          </div>
        </fieldset>

        <fieldset>
          <legend>2. Target</legend>
          <div className="toolbar">
            <label htmlFor={ids.ns}>Namespace</label>
            <select
              id={ids.ns}
              value={ns}
              onChange={(event) => {
                setNs(event.target.value)
                setExistingTable('')
              }}
            >
              <option value="">choose a namespace</option>
              {ns !== '' && !writable.some((entry) => entry.name === ns) && <option value={ns}>{ns}</option>}
              {writable.map((entry) => (
                <option key={entry.name} value={entry.name}>
                  {entry.name}
                </option>
              ))}
            </select>
          </div>
          {namespaces.isError && <ErrorMessage error={namespaces.error} />}
          <div className="radio-row" role="radiogroup" aria-label="What to do">
            {TARGETS.map((entry) => (
              <label key={entry.value} className="checkbox">
                <input type="radio" name="ingest-target" checked={target === entry.value} onChange={() => setTarget(entry.value)} />
                {entry.label}
              </label>
            ))}
          </div>
          {target === 'create' ? (
            <div className="toolbar">
              <label htmlFor={ids.newTable}>New table name</label>
              <input id={ids.newTable} value={newTable} onChange={(event) => setNewTable(event.target.value)} autoComplete="off" />
            </div>
          ) : (
            <div className="toolbar">
              <label htmlFor={ids.table}>Table</label>
              <NameSelect id={ids.table} names={tableNames} value={existingTable} onChange={setExistingTable}>
                <option value="">choose a table</option>
                {existingTable !== '' && !tableNames.includes(existingTable) && <option value={existingTable}>{existingTable}</option>}
              </NameSelect>
            </div>
          )}
          {target === 'overwrite' && (
            <p className="hint">The table's rows are replaced by the file's; older snapshots keep the old rows.</p>
          )}
          {tables.isError && <ErrorMessage error={tables.error} />}
        </fieldset>

        <ReaderOptions options={options} csv={csv} onChange={setOption} />

        <p className="ingest-problem" aria-live="polite">
          {problem}
        </p>
        {preview.isError && <ErrorMessage error={preview.error} />}
        {load.isError && <ErrorMessage error={load.error} />}
        {refused && (
          <p role="alert" className="error">
            {refused}
          </p>
        )}
        {preview.data && !current && !preview.isPending && (
          <p className="muted">The settings changed since the preview: preview again before loading.</p>
        )}
        {current && <IngestPreview ns={ns} table={table} dryRun={current.result} partial={current.partial} />}
        <div className="dialog-actions sticky-actions">
          {load.isPending && (
            <LoadProgress id={ids.progress} sending={sending} target={`${ns}.${table}`} />
          )}
          <button type="button" onClick={cancel}>
            {/* Once the server has the data it finishes the load: closing then only stops waiting. */}
            {!load.isPending ? 'Cancel' : sending && sending.sent < sending.total ? 'Cancel upload' : 'Close (the load goes on)'}
          </button>
          <button type="submit" disabled={problem !== null || preview.isPending || load.isPending}>
            {preview.isPending ? 'Reading…' : 'Preview'}
          </button>
          <button type="button" className="primary" disabled={!canLoad} onClick={() => load.mutate()}>
            {load.isPending ? 'Loading…' : action}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

interface Sending {
  name: string
  sent: number
  total: number
}

/** The load under way: the bytes of a local file sent so far, then the server reading them into the
 *  table (or reading a volume object), which says nothing of its progress. */
function LoadProgress({ id, sending, target }: { id: string; sending: Sending | null; target: string }) {
  const uploading = sending !== null && sending.sent < sending.total
  return (
    <div className="upload-progress">
      <label htmlFor={id}>{uploading ? `Uploading ${sending.name}` : `Loading into ${target}`}</label>
      <progress id={id} max={uploading ? sending.total : undefined} value={uploading ? sending.sent : undefined} />
      {uploading && (
        <span className="muted">
          {formatBytes(sending.sent)} of {formatBytes(sending.total)}
        </span>
      )}
    </div>
  )
}

function ReaderOptions({
  options,
  csv,
  onChange,
}: {
  options: ReadOptions
  csv: boolean
  onChange(name: keyof ReadOptions, value: string): void
}) {
  const text = (name: keyof ReadOptions, label: string, hint?: string) => (
    <label>
      {label}
      <input value={options[name]} onChange={(event) => onChange(name, event.target.value)} placeholder={hint ?? 'detect'} />
    </label>
  )
  return (
    <fieldset>
      <legend>3. Reading options</legend>
      <p className="hint">Left empty, each is detected as DuckDB's reader detects it.</p>
      {csv && (
        <div className="option-grid">
          <label>
            Header row
            <select value={options.header} onChange={(event) => onChange('header', event.target.value)}>
              <option value="">detect</option>
              <option value="true">yes: the first row names the columns</option>
              <option value="false">no</option>
            </select>
          </label>
          <label>
            Delimiter
            <select value={options.delimiter} onChange={(event) => onChange('delimiter', event.target.value)}>
              <option value="">detect</option>
              <option value=",">comma ,</option>
              <option value=";">semicolon ;</option>
              <option value={'\t'}>tab</option>
              <option value="|">pipe |</option>
              <option value=" ">space</option>
            </select>
          </label>
          {text('nullstr', 'NULL values', 'e.g. NA, -')}
          {text('skip', 'Lines to skip', '0')}
        </div>
      )}
      <details>
        <summary>More options</summary>
        <div className="option-grid">
          {csv && text('quote', 'Quote character')}
          {csv && text('escape', 'Escape character')}
          {csv && text('comment', 'Comment character')}
          {text('dateformat', 'Date format', 'e.g. %d/%m/%Y')}
          {text('timestampformat', 'Timestamp format', 'e.g. %d/%m/%Y %H:%M')}
        </div>
      </details>
    </fieldset>
  )
}
