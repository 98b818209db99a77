// Running SQL: the result streams in as rows arrive (see resultStream.ts); exports ask the server
// for a file in another format.
import { rawFetch, type Schemas } from './client'
import { formatBytes } from '../ui/format'
import { JsonResultParser, type ResultColumn, type Row } from './resultStream'

export type QueryRequest = Schemas['QueryRequest']
export type { ResultColumn, Row }

/** The response header in which the server names the snapshot a query read. */
const SNAPSHOT_HEADER = 'X-DuckLake-Snapshot'

export interface QueryProgress {
  /** Called once, before any row, with the snapshot the query reads: run again with it as
   *  `snapshot`, the statement reads the same data (an export of the result the user sees). */
  onSnapshot?(snapshot: number): void
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

/** How long reading may keep the page's thread before it lets the page render and take input. */
const READ_SLICE_MS = 40

/** Lets the page's other tasks run: rendering, input, timers. A stream that arrives faster than it
 *  is parsed resolves every read at once, in the same task, and would otherwise keep the grid from
 *  showing the first rows (and Cancel from being clicked) until the whole result has been read. */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0))
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
  const snapshot = response.headers.get(SNAPSHOT_HEADER)
  if (snapshot !== null) progress.onSnapshot?.(Number(snapshot))
  const parser = new JsonResultParser()
  let rowCount = 0
  let firstRowMs = -1
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let sliceStarted = performance.now()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const hadColumns = parser.columns !== null
    const rows = parser.push(value)
    if (!hadColumns && parser.columns) progress.onColumns?.(parser.columns)
    let firstRows = false
    if (rows.length > 0) {
      firstRows = firstRowMs < 0
      if (firstRows) firstRowMs = performance.now() - started
      rowCount += rows.length
      progress.onRows?.(rows)
    }
    if (firstRows || performance.now() - sliceStarted > READ_SLICE_MS) {
      await yieldToPage()
      sliceStarted = performance.now()
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

/** The most a download may hold in memory: where the browser cannot write a file as the result
 *  arrives, the whole file is gathered in a Blob first. */
export const MAX_IN_MEMORY_DOWNLOAD = 512 * 1024 * 1024

/** Downloads a statement's result as a file, gathered in memory first (a Blob); a result larger
 *  than `maxBytes` is refused with a readable error rather than exhausting the tab. */
export async function downloadResult(
  request: Omit<QueryRequest, 'format'>,
  format: ExportFormat,
  filename: string,
  signal?: AbortSignal,
  maxBytes = MAX_IN_MEMORY_DOWNLOAD,
) {
  const response = await rawFetch('/api/v1/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...request, format }),
    signal,
  })
  let bytes = 0
  const tooLarge = new Error(
    `The result is larger than ${formatBytes(maxBytes)}, more than this browser can save without writing ` +
      'to disk as it arrives. Save it to a volume instead (its object downloads straight to disk), add a LIMIT, ' +
      'or use a Chromium-based browser (it saves straight to the file).',
  )
  const bounded = response.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength
        // Erroring the stream also cancels the request: the server stops the query.
        if (bytes > maxBytes) controller.error(tooLarge)
        else controller.enqueue(chunk)
      },
    }),
  )
  let blob: Blob
  try {
    blob = await new Response(bounded, { headers: { 'Content-Type': response.headers.get('Content-Type') ?? '' } }).blob()
  } catch (error) {
    throw bytes > maxBytes ? tooLarge : error
  }
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
