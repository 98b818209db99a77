// Where things of the Files section live: the page URLs (/files/{volume}/{prefix…}) and the API
// paths of objects, whose keys keep their '/' (so encodeURIComponent alone would be wrong).
import { encodeKey } from '../api/client'

export { folderUrl, parentPrefix } from '../ui/routes'

/** The API path of an object, for rawFetch, XHR and links. */
export function objectApiPath(volume: string, key: string): string {
  return `/api/v1/volumes/${encodeURIComponent(volume)}/objects/${encodeKey(key)}`
}

/** For the typed client: fills `{vol}` and `{key}` as the object route wants them (a key's '/' is
 *  a path separator, not %2F). */
export const objectPathSerializer = {
  pathSerializer: (path: string, params: Record<string, unknown>) =>
    path
      .replace('{vol}', encodeURIComponent(String(params.vol)))
      .replace('{key}', encodeKey(String(params.key))),
}

/** The last segment of a key (or of a folder prefix, without its '/'). */
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

/** The URL's folder path as a listing prefix: '' or ending in '/'. */
export function normalizePrefix(path: string | undefined): string {
  if (!path) return ''
  return path.endsWith('/') ? path : `${path}/`
}

/** Every folder from the root down to `prefix`, for breadcrumbs: [['raw', ''], ['2026', '2026/'], …]. */
export function prefixChain(prefix: string): { name: string; prefix: string }[] {
  const chain: { name: string; prefix: string }[] = []
  let at = 0
  for (;;) {
    const slash = prefix.indexOf('/', at)
    if (slash < 0) break
    chain.push({ name: prefix.slice(at, slash), prefix: prefix.slice(0, slash + 1) })
    at = slash + 1
  }
  return chain
}

// The formats table ingest reads (docs/API.md, Ingest options).
const TABULAR_TYPES = /^(text\/csv|application\/(vnd\.apache\.parquet|json|x-ndjson))\b/i
const TABULAR_EXTENSIONS = /\.(csv|parquet|json|ndjson|jsonl)$/i

/** Whether an object is one the table ingest reads (by its content type, else its extension). */
export function looksTabular(key: string, contentType: string): boolean {
  return TABULAR_TYPES.test(contentType) || TABULAR_EXTENSIONS.test(key)
}
