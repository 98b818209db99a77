// Sending one file to a volume. Small files go up in one PUT; large ones as a multipart upload
// (docs/API.md, Multipart uploads): parts a few at a time, each retried on a lost connection or a
// busy server, the whole upload aborted on cancel or failure so no parts are left behind. The
// requests that carry bytes go through sendBody, which reports their progress.
import { api, ApiError, data, type Schemas } from '../api/client'
import { abortError, sendBody } from '../api/upload'
import { objectApiPath } from './paths'

const MiB = 1024 * 1024

/** The server's bounds on parts: every part but the last at least 5 MiB, at most 5 GiB, 10,000 parts. */
export const MIN_PART_SIZE = 5 * MiB
export const MAX_PART_SIZE = 5 * 1024 * MiB
export const MAX_PARTS = 10_000

export interface UploadSettings {
  /** Files larger than this go up in parts. */
  multipartThreshold: number
  /** The size of each part but the last (raised to the server's minimum, or to fit 10,000 parts). */
  partSize: number
  /** Parts of one file in flight at once. */
  partConcurrency: number
}

export const DEFAULT_SETTINGS: UploadSettings = {
  multipartThreshold: 32 * MiB,
  partSize: 16 * MiB,
  partConcurrency: 4,
}

export interface PartPlan {
  partNumber: number
  /** Byte offsets in the file: [start, end). */
  start: number
  end: number
}

/** Cuts `size` bytes into parts the server takes. */
export function planParts(size: number, partSize: number): PartPlan[] {
  const chosen = Math.max(MIN_PART_SIZE, Math.floor(partSize), Math.ceil(size / MAX_PARTS))
  if (chosen > MAX_PART_SIZE) throw new Error(`a file of ${size} bytes is larger than 10,000 parts of 5 GiB`)
  const count = Math.max(1, Math.ceil(size / chosen))
  return Array.from({ length: count }, (_, index) => ({
    partNumber: index + 1,
    start: index * chosen,
    end: Math.min(size, (index + 1) * chosen),
  }))
}

// Browsers disagree on the types of tabular files (Windows calls a CSV application/vnd.ms-excel),
// and previews and table ingest go by the type: these get the one DuckLake gives them.
const TABULAR_TYPES: [RegExp, string][] = [
  [/\.csv$/i, 'text/csv'],
  [/\.parquet$/i, 'application/vnd.apache.parquet'],
  [/\.json$/i, 'application/json'],
  [/\.(ndjson|jsonl)$/i, 'application/x-ndjson'],
]

/** The content type to store, or undefined to let the server guess it from the key. */
function contentTypeFor(key: string, file: Blob): string | undefined {
  return TABULAR_TYPES.find(([extension]) => extension.test(key))?.[1] ?? (file.type || undefined)
}

/** A key the server would refuse that a URL cannot even carry to it: URLs drop '.' and '..'
 *  segments, which would store the file at another key. */
function keyProblem(key: string): string | undefined {
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return `the key '${key}' has an empty, '.' or '..' segment`
  }
  return undefined
}

/** Failures another attempt may get past: a lost connection, a timeout, a busy or failing server. */
const RETRYABLE = new Set([0, 408, 429, 500, 502, 503, 504])
const ATTEMPTS = 3

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    const stop = () => {
      clearTimeout(timer)
      reject(abortError())
    }
    signal.addEventListener('abort', stop, { once: true })
  })
}

async function withRetry<T>(attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      if (signal.aborted) throw abortError()
      if (tries >= ATTEMPTS || !(error instanceof ApiError) || !RETRYABLE.has(error.status)) throw error
      await sleep(1000 * 2 ** (tries - 1), signal)
    }
  }
}

export interface UploadOptions {
  settings?: UploadSettings
  /** Bytes sent so far, of `total`. */
  onProgress?(sent: number, total: number): void
  signal?: AbortSignal
}

/** Stores `file` at `key` in `volume`; resolves with the stored object. */
export async function uploadObject(
  volume: string,
  key: string,
  file: Blob,
  { settings = DEFAULT_SETTINGS, onProgress, signal = new AbortController().signal }: UploadOptions = {},
): Promise<Schemas['Object']> {
  const problem = keyProblem(key)
  if (problem) {
    throw new ApiError({ type: 'about:blank', title: 'Bad Request', status: 400, detail: problem, instance: '' })
  }
  const report = (sent: number) => onProgress?.(Math.min(sent, file.size), file.size)
  if (file.size <= settings.multipartThreshold) {
    const type = contentTypeFor(key, file)
    // A typed Blob would send its own type: a typeless slice sends none, and the server guesses.
    const body = type ? file : file.slice(0, file.size, '')
    const answer = await withRetry(
      () =>
        sendBody<Schemas['Object']>(objectApiPath(volume, key), body, {
          method: 'PUT',
          headers: type ? { 'Content-Type': type } : {},
          signal,
          onProgress: report,
        }),
      signal,
    )
    report(file.size)
    return answer
  }
  return uploadInParts(volume, key, file, settings, signal, report)
}

async function uploadInParts(
  volume: string,
  key: string,
  file: Blob,
  settings: UploadSettings,
  signal: AbortSignal,
  report: (sent: number) => void,
): Promise<Schemas['Object']> {
  const parts = planParts(file.size, settings.partSize)
  // Not cancelled midway: an upload the server made but whose id never arrived could not be aborted.
  const upload = data(
    await api.POST('/api/v1/volumes/{vol}/uploads', {
      params: { path: { vol: volume } },
      body: { key, content_type: contentTypeFor(key, file) },
    }),
  )
  const path = { vol: volume, upload: upload.upload_id }
  // A failed part stops the others; the user's cancel does too.
  const stop = new AbortController()
  const relay = () => stop.abort()
  signal.addEventListener('abort', relay, { once: true })
  try {
    if (signal.aborted) throw abortError()
    const sent = parts.map(() => 0)
    const etags: string[] = []
    const total = () => sent.reduce((sum, bytes) => sum + bytes, 0)
    let next = 0
    const worker = async () => {
      while (next < parts.length && !stop.signal.aborted) {
        const index = next++
        const { partNumber, start, end } = parts[index]
        const partPath = `/api/v1/volumes/${encodeURIComponent(volume)}/uploads/${encodeURIComponent(upload.upload_id)}/parts/${partNumber}`
        const answer = await withRetry(() => {
          sent[index] = 0
          return sendBody<Schemas['Part']>(partPath, file.slice(start, end, ''), {
            method: 'PUT',
            signal: stop.signal,
            onProgress: (bytes) => {
              sent[index] = bytes
              report(total())
            },
          })
        }, stop.signal)
        sent[index] = end - start
        etags[index] = answer.etag
        report(total())
      }
    }
    const workers = Array.from({ length: Math.min(settings.partConcurrency, parts.length) }, () =>
      worker().catch((error: unknown) => {
        stop.abort()
        throw error
      }),
    )
    const results = await Promise.allSettled(workers)
    if (signal.aborted) throw abortError()
    const failure = results.find(
      (result): result is PromiseRejectedResult =>
        result.status === 'rejected' && !(result.reason instanceof DOMException && result.reason.name === 'AbortError'),
    )
    if (failure) throw failure.reason
    // Once every part is there, joining them is quick and no longer cancelled.
    return data(
      await api.POST('/api/v1/volumes/{vol}/uploads/{upload}', {
        params: { path },
        body: { parts: parts.map((part, index) => ({ part_number: part.partNumber, etag: etags[index] })) },
      }),
    )
  } catch (error) {
    // Best effort: an upload left open holds its parts until someone aborts it.
    await api.DELETE('/api/v1/volumes/{vol}/uploads/{upload}', { params: { path } }).catch(() => undefined)
    throw error
  } finally {
    signal.removeEventListener('abort', relay)
  }
}
