// Test helpers (imported by the lineage, search and home tests only): make data and lineage
// through the same API calls a user's tools make, and read the API's own answers to compare with.
import { api, ApiError, data, encodeKey, rawFetch } from '../api/client'
import { uniqueName } from '../../test/render'

/** jsdom lacks what @xyflow/react measures with. Nothing is laid out in jsdom anyway, so observers
 *  that never fire and an identity matrix are enough for the canvas to render its nodes. */
export function polyfillCanvas() {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  const global = globalThis as unknown as { DOMMatrixReadOnly?: unknown }
  global.DOMMatrixReadOnly ??= class {
    readonly m22: number
    constructor(transform?: string) {
      const scale = /scale\(([-\d.e]+)\)/.exec(transform ?? '')
      this.m22 = scale ? Number(scale[1]) : 1
    }
  }
}

async function post(path: string, body: unknown): Promise<unknown> {
  const response = await rawFetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return response.json()
}

export async function sql(statement: string): Promise<unknown> {
  return post('/api/v1/query', { sql: statement })
}

/** Runs a transaction; a failing one answers its error instead of throwing. */
export async function transaction(statements: string[]): Promise<unknown> {
  try {
    return await post('/api/v1/query', { statements })
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
}

export async function createNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix)
  await post('/api/v1/namespaces', { name })
  return name
}

export async function createVolume(prefix: string): Promise<string> {
  const name = uniqueName(prefix)
  await post('/api/v1/volumes', { name })
  return name
}

export async function putObject(volume: string, key: string, body: string, contentType = 'text/csv') {
  await rawFetch(`/api/v1/volumes/${volume}/objects/${encodeKey(key)}`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType },
    body,
  })
}

/** Ingests a volume object into a table (`…/data?from=`): the object becomes the job's input. */
export async function ingest(namespace: string, table: string, volume: string, key: string) {
  const from = encodeURIComponent(`volumes/${volume}/objects/${key}`)
  await rawFetch(`/api/v1/namespaces/${namespace}/tables/${table}/data?from=${from}`, { method: 'POST' })
}

export async function lineage(nodeId: string, depth: number) {
  return data(await api.GET('/api/v1/lineage', { params: { query: { nodeId, depth } } }))
}

export async function columnLineage(fieldId: string) {
  return data(await api.GET('/api/v1/column-lineage', { params: { query: { nodeId: fieldId, withDownstream: true } } }))
}

export const LAKE = 'ducklake://default'

/** A small lake with every kind of edge: an object ingested into a table, a table filled from
 *  another by INSERT … SELECT (column lineage), a table made by CREATE TABLE … AS with an aggregate,
 *  and a transaction whose second statement does not bind (a FAILED run). */
export async function makeLineage(prefix: string) {
  const ns = await createNamespace(prefix)
  const volume = await createVolume(`${prefix}vol`)
  const key = 'in/orders.csv'
  await sql(`CREATE TABLE ${ns}.src (id BIGINT, amount DECIMAL(18,2), note VARCHAR)`)
  await sql(`INSERT INTO ${ns}.src VALUES (1, 19.99, 'a'), (2, 5.00, 'b')`)
  await sql(`CREATE TABLE ${ns}.dst (id BIGINT, total DECIMAL(18,2))`)
  await putObject(volume, key, 'id,total\n7,1.50\n8,2.25\n')
  await ingest(ns, 'dst', volume, key)
  // After the ingest, so dst's column lineage is the INSERT's (the latest that names a field wins).
  await sql(`INSERT INTO ${ns}.dst SELECT id, amount * 2 FROM ${ns}.src`)
  await sql(`CREATE TABLE ${ns}.report AS SELECT sum(total) AS grand FROM ${ns}.dst`)
  await sql(`CREATE TABLE ${ns}.audit (n BIGINT)`)
  const failure = await transaction([
    `INSERT INTO ${ns}.audit SELECT 1`,
    `INSERT INTO ${ns}.audit SELECT nosuchcol FROM ${ns}.src`,
  ])
  if (!(failure instanceof ApiError)) throw new Error('the failing transaction succeeded')
  const dataset = (table: string) => `dataset:${LAKE}:${ns}.${table}`
  return {
    ns,
    volume,
    key,
    src: dataset('src'),
    dst: dataset('dst'),
    report: dataset('report'),
    audit: dataset('audit'),
    failedJob: `job:${LAKE}:transaction.${ns}.audit`,
    insertJob: `job:${LAKE}:insert.${ns}.dst`,
    failure,
  }
}
