// SQL text the Tables pages send or link to. Names are always quoted: a lake name may be a SQL
// keyword (`order`), and column names may hold any character.

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

export function tableRef(namespace: string, table: string): string {
  return `${quoteIdent(namespace)}.${quoteIdent(table)}`
}

/** The statement behind "Query in SQL": the first rows, as of a snapshot when one is chosen. */
export function selectSql(namespace: string, table: string, snapshot?: number): string {
  const at = snapshot === undefined ? '' : ` AT (VERSION => ${snapshot})`
  return `SELECT * FROM ${tableRef(namespace, table)}${at} LIMIT 100`
}

export function addColumnSql(namespace: string, table: string, name: string, type: string, defaultValue: string | null): string {
  // The default is taken as a value and cast to the column's type, so a user types `open`, not `'open'`;
  // the server keeps only constant defaults, which a cast of a literal is.
  const dflt = defaultValue === null ? '' : ` DEFAULT CAST(${quoteLiteral(defaultValue)} AS ${type})`
  return `ALTER TABLE ${tableRef(namespace, table)} ADD COLUMN ${quoteIdent(name)} ${type}${dflt}`
}

export function renameColumnSql(namespace: string, table: string, from: string, to: string): string {
  return `ALTER TABLE ${tableRef(namespace, table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`
}

export function dropColumnSql(namespace: string, table: string, name: string): string {
  return `ALTER TABLE ${tableRef(namespace, table)} DROP COLUMN ${quoteIdent(name)}`
}

/** Namespace and table names the server accepts (docs/API.md, Concepts). */
const LAKE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/
const RESERVED = new Set(['temp', 'main', 'information_schema', 'pg_catalog', 'system'])

/** Why a namespace or table name would be refused, or null when it is fine. */
export function nameProblem(name: string): string | null {
  if (!name) return 'Give a name.'
  if (!LAKE_NAME.test(name)) return 'Use letters, digits and _ (at most 63), not starting with a digit.'
  if (RESERVED.has(name.toLowerCase())) return `"${name}" is reserved.`
  return null
}

/** A table name made from a file name: `2026/11/Orders-EU.csv` → `Orders_EU`. */
export function tableNameFromKey(key: string): string {
  const file = key.split('/').pop() ?? ''
  const stem = file.replace(/\.(csv|tsv|txt|parquet|json|ndjson|jsonl)(\.gz)?$/i, '')
  let name = stem.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')
  if (/^[0-9]/.test(name)) name = `t_${name}`
  name = name.slice(0, 63)
  return nameProblem(name) ? '' : name
}
