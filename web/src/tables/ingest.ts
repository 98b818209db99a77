// Loading a file or a volume object into a table (POST …/tables/{table}/data): the query string of
// the ingest options, the dry run that previews it, and the upload itself.
import { api, data, type Schemas } from '../api/client'
import { sendBody, type SendOptions } from '../api/upload'
import type { operations } from '../api/schema.gen'

export type IngestQuery = NonNullable<operations['uploadTableData']['parameters']['query']>
export type IngestFormat = NonNullable<IngestQuery['format']>
export type IngestMode = NonNullable<IngestQuery['mode']>
export type IngestResult = Schemas['IngestResult']
export type IngestDryRun = Schemas['IngestDryRun']

export const FORMATS: { value: IngestFormat; label: string; contentType: string }[] = [
  { value: 'csv', label: 'CSV', contentType: 'text/csv' },
  { value: 'parquet', label: 'Parquet', contentType: 'application/vnd.apache.parquet' },
  { value: 'json', label: 'JSON', contentType: 'application/json' },
  { value: 'ndjson', label: 'NDJSON', contentType: 'application/x-ndjson' },
]

/** The reader options as the form holds them: '' leaves each to DuckDB's detection. */
export interface ReadOptions {
  format: IngestFormat | ''
  header: '' | 'true' | 'false'
  delimiter: string
  quote: string
  escape: string
  comment: string
  skip: string
  /** Values read as NULL, comma-separated. */
  nullstr: string
  dateformat: string
  timestampformat: string
}

export const DETECT_ALL: ReadOptions = {
  format: '',
  header: '',
  delimiter: '',
  quote: '',
  escape: '',
  comment: '',
  skip: '',
  nullstr: '',
  dateformat: '',
  timestampformat: '',
}

/** The format a key or file name says it has, by its extension (as the server guesses it). */
export function formatOfName(name: string): IngestFormat | undefined {
  const extension = name.toLowerCase().split('.').pop()
  if (extension === 'csv' || extension === 'tsv') return 'csv'
  if (extension === 'parquet') return 'parquet'
  if (extension === 'json') return 'json'
  if (extension === 'ndjson' || extension === 'jsonl') return 'ndjson'
  return undefined
}

export function formatOfFile(file: File): IngestFormat | undefined {
  return FORMATS.find((format) => format.contentType === file.type)?.value ?? formatOfName(file.name)
}

/** The query of an ingest: only the options the user set, so the rest is detected. */
export function ingestQuery(options: ReadOptions, mode: IngestMode, csv: boolean): IngestQuery {
  const query: IngestQuery = { mode }
  if (options.format) query.format = options.format
  if (options.dateformat) query.dateformat = options.dateformat
  if (options.timestampformat) query.timestampformat = options.timestampformat
  if (!csv) return query
  if (options.header) query.header = options.header === 'true'
  if (options.delimiter) query.delimiter = options.delimiter
  if (options.quote) query.quote = options.quote
  if (options.escape) query.escape = options.escape
  if (options.comment) query.comment = options.comment
  if (options.skip.trim()) query.skip = Number(options.skip)
  const nulls = options.nullstr
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
  if (nulls.length > 0) query.nullstr = nulls
  return query
}

/** The query as a URL's query string, arrays as repeated parameters (as the typed client sends them). */
export function queryString(query: IngestQuery): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item))
  }
  return search.toString()
}

const dataPath = (ns: string, table: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/tables/${encodeURIComponent(table)}/data`

export const objectSource = (volume: string, key: string) => `volumes/${volume}/objects/${key}`

/** Ingests (or with dry_run, previews) a volume object: the server reads it from the store. */
export async function ingestObject(
  ns: string,
  table: string,
  volume: string,
  key: string,
  query: IngestQuery,
  signal?: AbortSignal,
) {
  return data(
    await api.POST('/api/v1/namespaces/{ns}/tables/{table}/data', {
      params: { path: { ns, table }, query: { ...query, from: objectSource(volume, key) } },
      signal,
    }),
  )
}

/** POSTs a file as the raw body; the browser reads it from disk as it sends it. */
function postBody<T>(path: string, body: Blob, format: IngestFormat, progress: Pick<SendOptions, 'signal' | 'onProgress'>) {
  const contentType = FORMATS.find((entry) => entry.value === format)!.contentType
  return sendBody<T>(path, body, { method: 'POST', headers: { 'Content-Type': contentType }, ...progress })
}

/** The most of a CSV or NDJSON file a dry run sends: its detection and first rows need no more. */
export const DRY_RUN_BYTES = 4 << 20

/**
 * What a dry run of `file` reads. CSV and NDJSON are cut to their first lines; Parquet (its footer
 * is at the end) and JSON arrays are only readable whole.
 */
export async function dryRunBody(file: Blob, format: IngestFormat): Promise<{ body: Blob; partial: boolean }> {
  if ((format !== 'csv' && format !== 'ndjson') || file.size <= DRY_RUN_BYTES) return { body: file, partial: false }
  const head = new Uint8Array(await file.slice(0, DRY_RUN_BYTES).arrayBuffer())
  const end = head.lastIndexOf(0x0a)
  return { body: file.slice(0, end > 0 ? end + 1 : DRY_RUN_BYTES), partial: true }
}

export async function dryRunFile(
  ns: string,
  table: string,
  file: Blob,
  format: IngestFormat,
  query: IngestQuery,
  limit: number,
  signal: AbortSignal,
) {
  const { body, partial } = await dryRunBody(file, format)
  const path = `${dataPath(ns, table)}?${queryString({ ...query, format, dry_run: true, limit })}`
  return { result: await postBody<IngestDryRun>(path, body, format, { signal }), partial }
}

/** Loads `file` into the table; `onProgress` hears how much of it has been sent. The server reads
 *  it into the table after the last byte, so the answer comes some time after 100%. */
export function uploadFile(
  ns: string,
  table: string,
  file: Blob,
  format: IngestFormat,
  query: IngestQuery,
  progress: Pick<SendOptions, 'signal' | 'onProgress'>,
) {
  return postBody<IngestResult>(`${dataPath(ns, table)}?${queryString({ ...query, format })}`, file, format, progress)
}
