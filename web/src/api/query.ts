// Running SQL: the result streams in as rows arrive (see resultStream.ts); exports ask the server
// for a file in another format.
import { rawFetch, type Schemas } from './client'
import { JsonResultParser, type ResultColumn, type Row } from './resultStream'

export type QueryRequest = Schemas['QueryRequest']
export type { ResultColumn, Row }

export interface QueryProgress {
  /** Called once, as soon as the column list has arrived. */
  onColumns?(columns: ResultColumn[]): void
  /** Called with each batch of rows, in order, as they arrive. */
  onRows?(rows: Row[]): void
}

export interface QuerySummary {
  columns: ResultColumn[]
  rowCount: number
  /** From sending the request to the first row (or the end, for an empty result). */
  firstRowMs: number
  totalMs: number
}

/** Runs one statement and streams its rows to `progress`. Rejects with an ApiError for a refused
 *  statement (400/403/404/429/504…), and with an AbortError when `signal` cancels it: closing the
 *  connection is what stops the query on the server. */
export async function streamQuery(
  request: Omit<QueryRequest, 'format'>,
  progress: QueryProgress = {},
  signal?: AbortSignal,
): Promise<QuerySummary> {
  const started = performance.now()
  const response = await rawFetch('/api/v1/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ ...request, format: 'json' }),
    signal,
  })
  const parser = new JsonResultParser()
  let rowCount = 0
  let firstRowMs = -1
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const hadColumns = parser.columns !== null
    const rows = parser.push(value)
    if (!hadColumns && parser.columns) progress.onColumns?.(parser.columns)
    if (rows.length > 0) {
      if (firstRowMs < 0) firstRowMs = performance.now() - started
      rowCount += rows.length
      progress.onRows?.(rows)
    }
  }
  parser.end()
  const totalMs = performance.now() - started
  return { columns: parser.columns!, rowCount, firstRowMs: firstRowMs < 0 ? totalMs : firstRowMs, totalMs }
}

/** Runs a statement and returns its whole (small) result: for writes and lookups, not for grids. */
export async function runQuery(request: Omit<QueryRequest, 'format'>): Promise<{ columns: ResultColumn[]; rows: Row[] }> {
  const rows: Row[] = []
  const summary = await streamQuery(request, { onRows: (batch) => rows.push(...batch) })
  return { columns: summary.columns, rows }
}

export type ExportFormat = 'csv' | 'parquet'

/** Downloads a statement's result as a file: the whole response is read into a Blob in memory,
 *  then handed to the browser's downloads. Nothing is saved once `signal` has aborted. */
export async function downloadResult(
  request: Omit<QueryRequest, 'format'>,
  format: ExportFormat,
  filename: string,
  signal?: AbortSignal,
) {
  const response = await rawFetch('/api/v1/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...request, format }),
    signal,
  })
  const blob = await response.blob()
  signal?.throwIfAborted()
  saveBlob(blob, filename)
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
