// What the Tables pages fetch beyond the lake's shared routes (api/queries.ts): a table's snapshots,
// preview, changes and catalog, kept under the table's key. Time travel, which the REST descriptions
// do not offer, is read from the SQL catalog functions as of a snapshot.
import { useQuery, type QueryClient } from '@tanstack/react-query'
import { api, data, type Schemas } from '../api/client'
import { lakeKeys } from '../api/queries'
import { runQuery, type Row } from '../api/query'
import { quoteLiteral, tableRef } from './sql'

export type TableSnapshot = Schemas['TableSnapshot']
export type QueryResult = Schemas['QueryResult']

export function useTableSnapshots(ns: string, table: string) {
  return useQuery({
    queryKey: [...lakeKeys.table(ns, table), 'snapshots'],
    queryFn: async ({ signal }) =>
      data(await api.GET('/api/v1/namespaces/{ns}/tables/{table}/snapshots', { params: { path: { ns, table } }, signal })),
  })
}

/** The first `limit` rows: the preview route for the latest snapshot, SQL with LIMIT for an older one. */
export function usePreview(ns: string, table: string, limit: number, snapshot: number | undefined) {
  return useQuery({
    queryKey: [...lakeKeys.table(ns, table), 'preview', { limit, snapshot }],
    queryFn: async ({ signal }): Promise<QueryResult> => {
      if (snapshot === undefined) {
        return data(
          await api.GET('/api/v1/namespaces/{ns}/tables/{table}/preview', {
            params: { path: { ns, table }, query: { limit } },
            signal,
          }),
        )
      }
      return runQuery({ sql: `SELECT * FROM ${tableRef(ns, table)} LIMIT ${limit}`, limit, snapshot })
    },
  })
}

/** A column as the SQL catalog (`duckdb_columns()`) has it: DuckDB SQL types, and the default. */
export interface CatalogColumn {
  name: string
  type: string
  nullable: boolean
  comment: string | null
  default: string | null
}

export interface CatalogTable {
  comment: string | null
  tags: Record<string, string>
  rowCount: number
  columns: CatalogColumn[]
}

const asText = (value: unknown) => (value === null || value === undefined ? null : String(value))

/** The table as the catalog saw it at `snapshot` (the latest when undefined). Reads metadata only. */
export async function loadCatalogTable(ns: string, table: string, snapshot: number | undefined): Promise<CatalogTable> {
  const where = `lower(schema_name) = lower(${quoteLiteral(ns)}) AND lower(table_name) = lower(${quoteLiteral(table)})`
  const [tables, columns] = await Promise.all([
    runQuery({ sql: `SELECT comment, tags, estimated_size FROM duckdb_tables() WHERE ${where}`, snapshot }),
    runQuery({
      sql: `SELECT column_name, data_type, is_nullable, comment, column_default FROM duckdb_columns() WHERE ${where} ORDER BY column_index`,
      snapshot,
    }),
  ])
  const found: Row | undefined = tables.rows[0]
  if (!found) {
    throw new Error(`${ns}.${table} did not exist at snapshot ${snapshot ?? 'latest'}`)
  }
  // A MAP arrives as [{key, value}, …] (docs/API.md, Formats).
  const tagEntries = Array.isArray(found[1]) ? (found[1] as { key: string; value: string }[]) : []
  return {
    comment: asText(found[0]),
    tags: Object.fromEntries(tagEntries.map((entry) => [entry.key, entry.value])),
    rowCount: Number(found[2]),
    columns: columns.rows.map((row) => ({
      name: String(row[0]),
      type: String(row[1]),
      nullable: row[2] === true,
      comment: asText(row[3]),
      default: asText(row[4]),
    })),
  }
}

export function useCatalogTable(ns: string, table: string, snapshot: number | undefined) {
  return useQuery({
    queryKey: [...lakeKeys.table(ns, table), 'catalog', { snapshot }],
    queryFn: () => loadCatalogTable(ns, table, snapshot),
  })
}

export function useChanges(
  ns: string,
  table: string,
  from: number | undefined,
  to: number | undefined,
  limit: number,
  enabled: boolean,
) {
  return useQuery({
    queryKey: [...lakeKeys.table(ns, table), 'changes', { from, to, limit }],
    enabled,
    queryFn: async ({ signal }) =>
      data(
        await api.GET('/api/v1/namespaces/{ns}/tables/{table}/changes', {
          params: { path: { ns, table }, query: { from, to, limit, format: 'json' } },
          signal,
        }),
        // Asked for as JSON, the body is the QueryResult of the route's union of formats.
      ) as QueryResult,
  })
}

/** After any change to the lake's namespaces or tables: every listing and description may differ. */
export function invalidateLake(client: QueryClient) {
  return client.invalidateQueries({ queryKey: lakeKeys.namespaces })
}
