// Where a lineage node lives in the app, and the way back. Kept free of the graph libraries so the
// search, home, tables and files pages can link here without loading them.
import type { Schemas } from '../api/client'

/** The lineage page centred on a node (`dataset:…` or `job:…`; a `datasetField:…` opens on its dataset). */
export function lineageHref(nodeId: string, depth?: number): string {
  const params = new URLSearchParams({ node: nodeId })
  if (depth !== undefined) params.set('depth', String(depth))
  return `/lineage?${params}`
}

export function datasetNodeId(namespace: string, name: string): string {
  return `dataset:${namespace}:${name}`
}

export function jobNodeId(namespace: string, name: string): string {
  return `job:${namespace}:${name}`
}

export function fieldNodeId(namespace: string, dataset: string, field: string): string {
  return `datasetField:${namespace}:${dataset}:${field}`
}

/**
 * The dataset node of a field node: `datasetField:<namespace>:<dataset>:<field>` gives
 * `dataset:<namespace>:<dataset>`; anything else gives null. The field is what follows the last
 * ':', as the server reads it. The namespace (a URI such as `ducklake://default`) and the dataset
 * name may both hold ':', and only the server knows which split names a dataset: the two stay
 * together, as they came, and it splits them.
 */
export function datasetOfField(nodeId: string): string | null {
  const prefix = 'datasetField:'
  if (!nodeId.startsWith(prefix)) return null
  const rest = nodeId.slice(prefix.length)
  const last = rest.lastIndexOf(':')
  if (last < 0 || last === rest.length - 1) return null
  const dataset = rest.slice(0, last)
  // Some ':' with something on both sides: a namespace and a name.
  if (!/^.+:.+$/s.test(dataset)) return null
  return `dataset:${dataset}`
}

export function tableHref(namespace: string, table: string): string {
  return `/tables/${encodeURIComponent(namespace)}/${encodeURIComponent(table)}`
}

// Lake names: a letter or '_', then letters, digits or '_'. Neither part of `<namespace>.<table>`
// can hold a dot, so the split is unambiguous.
const TABLE_NAME = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/

/** A lake table is the dataset `<namespace>.<table>` in the lineage namespace `ducklake://<instance>`. */
export function tableOfDataset(namespace: string, name: string): { namespace: string; table: string } | null {
  if (!namespace.startsWith('ducklake://')) return null
  const match = TABLE_NAME.exec(name)
  return match ? { namespace: match[1], table: match[2] } : null
}

export interface ObjectPlace {
  volume: string
  key: string
}

/** The volume objects a dataset may be, most likely first. An object is named where it is stored:
 *  `file` and its absolute path, or `s3://<bucket>` and its key in the bucket. In the lake's store
 *  that path ends in `volumes/<volume>/<key>`; a volume with a bucket of its own holds the key at
 *  the bucket's root. The store's own prefix may itself contain `volumes/`, and so may a key, so
 *  every split naming a known volume is a candidate, the leftmost first (the key is the longest). */
export function objectCandidates(namespace: string, name: string, volumes: Schemas['Volume'][]): ObjectPlace[] {
  const candidates: ObjectPlace[] = []
  if (namespace.startsWith('s3://')) {
    const bucket = namespace.slice('s3://'.length)
    const own = volumes.find((volume) => volume.bucket === bucket)
    if (own) return [{ volume: own.name, key: name }]
  } else if (namespace !== 'file') {
    return candidates
  }
  const known = new Set(volumes.filter((volume) => volume.bucket === null).map((volume) => volume.name))
  const marker = 'volumes/'
  for (let at = name.indexOf(marker); at !== -1; at = name.indexOf(marker, at + 1)) {
    if (at > 0 && name[at - 1] !== '/') continue
    const rest = name.slice(at + marker.length)
    const slash = rest.indexOf('/')
    if (slash <= 0 || slash === rest.length - 1) continue
    const volume = rest.slice(0, slash)
    if (known.has(volume)) candidates.push({ volume, key: rest.slice(slash + 1) })
  }
  return candidates
}
