// What a dry run found: the dialect, the file's columns and first rows, and what would happen to
// the table.
import { useEffect, useRef } from 'react'
import type { Schemas } from '../api/client'
import { DataGrid } from '../ui/DataGrid'
import { formatBytes } from '../ui/format'
import { DRY_RUN_BYTES, type IngestDryRun } from './ingest'

// The generated schema leaves the table's columns untyped; they are described columns without ids.
type PlannedColumn = Pick<Schemas['Column'], 'name' | 'type' | 'nullable'>

const MATCH: Record<IngestDryRun['table']['match'], string> = {
  created: 'A new table is created with these columns.',
  name: "The file's columns are matched to the table's by name.",
  position: "The file has no header: its columns fill the table's in order.",
}

const shown = (text: string) => (text === '' ? 'none' : text === '\t' ? 'tab' : text === ' ' ? 'space' : text)

export function IngestPreview({
  ns,
  table,
  dryRun,
  partial,
}: {
  ns: string
  table: string
  dryRun: IngestDryRun
  partial: boolean
}) {
  const ref = useRef<HTMLElement>(null)
  // A new preview lands below the form: bring it into sight (jsdom, in the tests, cannot scroll).
  useEffect(() => {
    // A block body: Chromium's scrollIntoView returns a promise, which React would take for a clean-up.
    ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [dryRun])
  const dialect = dryRun.dialect
  const planned = dryRun.table.columns as unknown as PlannedColumn[]
  return (
    <section aria-labelledby="ingest-preview-title" className="ingest-preview" ref={ref}>
      <h3 id="ingest-preview-title">Preview</h3>
      <p role="status">
        {MATCH[dryRun.table.match]} Target: <code>
          {ns}.{table}
        </code>
        {dryRun.table.exists ? ' (exists)' : ' (new)'}.
      </p>
      {partial && <p className="hint">Read from the first {formatBytes(DRY_RUN_BYTES)} of the file.</p>}
      {dialect && (
        <dl className="dialect" aria-label="Detected dialect">
          <dt>Delimiter</dt>
          <dd>{shown(dialect.delimiter)}</dd>
          <dt>Quote</dt>
          <dd>{shown(dialect.quote)}</dd>
          <dt>Escape</dt>
          <dd>{shown(dialect.escape)}</dd>
          <dt>Header row</dt>
          <dd>{dialect.header ? 'yes' : 'no'}</dd>
          <dt>Skipped lines</dt>
          <dd>{dialect.skip}</dd>
          {dialect.dateformat && (
            <>
              <dt>Date format</dt>
              <dd>{dialect.dateformat}</dd>
            </>
          )}
          {dialect.timestampformat && (
            <>
              <dt>Timestamp format</dt>
              <dd>{dialect.timestampformat}</dd>
            </>
          )}
        </dl>
      )}
      <div className="ingest-columns">
        <table aria-label="Columns in the file" className="tables-list">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {dryRun.columns.map((column) => (
              <tr key={column.name}>
                <th scope="row">{column.name}</th>
                <td>
                  <code>{column.type}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table aria-label="Table columns after loading" className="tables-list">
          <thead>
            <tr>
              <th scope="col">Table column</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {planned.map((column) => (
              <tr key={column.name}>
                <th scope="row">{column.name}</th>
                <td>
                  <code>{column.type}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DataGrid columns={dryRun.columns} rows={dryRun.rows} label="First rows of the file" height={Math.min(260, 60 + dryRun.rows.length * 28)} />
    </section>
  )
}
