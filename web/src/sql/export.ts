// Saving a result as a file: the statement runs again with format csv or parquet. Where the browser
// lets a page write a file the user picked (the File System Access API), the response streams
// straight to disk, so a result larger than memory can be saved; elsewhere it is gathered in a Blob
// first, up to MAX_IN_MEMORY_DOWNLOAD (a larger result is refused with a readable error that points
// to saving it to a volume: SaveToVolume.tsx).
import { rawFetch } from '../api/client'
import { downloadResult, type ExportFormat } from '../api/query'
import type { RunRequest } from './useQueryRun'

interface SaveFilePickerOptions {
  suggestedName: string
  types: { description: string; accept: Record<string, string[]> }[]
}

// Not in TypeScript's DOM library yet (Chromium only).
type SaveFilePicker = (options: SaveFilePickerOptions) => Promise<FileSystemFileHandle>

const TYPES: Record<ExportFormat, SaveFilePickerOptions['types'][number]> = {
  csv: { description: 'CSV file', accept: { 'text/csv': ['.csv'] } },
  parquet: { description: 'Parquet file', accept: { 'application/vnd.apache.parquet': ['.parquet'] } },
}

export type ExportOutcome =
  | { kind: 'saved'; name: string; bytes: number }
  | { kind: 'downloaded'; name: string }
  | { kind: 'dismissed' }

/** `result-2026-11-25T10-00-00.csv`: sortable, and valid on every file system. */
export function exportFilename(format: ExportFormat, now = new Date()): string {
  return `result-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.${format}`
}

/** Call from the click that asks for it: the file picker needs the user's gesture. Rejects with an
 *  AbortError once `signal` aborts, with nothing downloaded and the picked file left as it was. */
export async function exportResult(
  request: RunRequest,
  format: ExportFormat,
  filename: string,
  signal: AbortSignal,
): Promise<ExportOutcome> {
  const body = { sql: request.sql, snapshot: request.snapshot }
  const pick = (window as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker
  if (!pick) {
    await downloadResult(body, format, filename, signal)
    return { kind: 'downloaded', name: filename }
  }
  let handle: FileSystemFileHandle
  try {
    handle = await pick({ suggestedName: filename, types: [TYPES[format]] })
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') return { kind: 'dismissed' }
    throw error
  }
  signal.throwIfAborted()
  const response = await rawFetch('/api/v1/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, format }),
    signal,
  })
  const file = await handle.createWritable()
  let bytes = 0
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  try {
    // A failed source or the signal aborts the writable, which leaves the file as it was before.
    await response.body!.pipeThrough(counter).pipeTo(file, { signal })
  } catch (error) {
    signal.throwIfAborted()
    throw new Error(
      `The export stopped after ${bytes} bytes (cut off by the server or the network), so ${handle.name} was not written. ` +
        `(${error instanceof Error ? error.message : String(error)})`,
    )
  }
  return { kind: 'saved', name: handle.name, bytes }
}
