// Completion of the lake's names in the editor: namespaces, their tables, and the tables' columns.
// The namespace list is fetched once; a namespace's tables (which carry their columns) only when
// the statement names that namespace, so a lake of many namespaces costs one small request.
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete'
import { keywordCompletionSource, PostgreSQL, schemaCompletionSource, type SQLNamespace } from '@codemirror/lang-sql'
import { LanguageSupport } from '@codemirror/language'
import type { QueryClient } from '@tanstack/react-query'
import type { Schemas } from '../api/client'
import { namespacesQuery, tablesQuery } from '../api/queries'

type Table = Schemas['Table']

/** Where the names come from. */
export interface LakeCatalog {
  namespaces(): Promise<string[]>
  tables(namespace: string): Promise<Table[]>
}

const CATALOG_STALE_MS = 60_000

export function queryClientCatalog(client: QueryClient): LakeCatalog {
  return {
    async namespaces() {
      const list = await client.fetchQuery({
        ...namespacesQuery(),
        staleTime: CATALOG_STALE_MS,
      })
      return list.namespaces.map((namespace) => namespace.name)
    },
    async tables(namespace) {
      const list = await client.fetchQuery({
        ...tablesQuery(namespace),
        staleTime: CATALOG_STALE_MS,
      })
      return list.tables
    },
  }
}

/** A name as SQL must write it: bare when it is a plain identifier, else double-quoted. */
export function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`
}

const IDENTIFIER = String.raw`"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*`
// `a.` or `a.b`: a namespace, or a namespace and a table, wherever the statement names one.
const REFERENCE = new RegExp(String.raw`(${IDENTIFIER})\s*\.\s*(${IDENTIFIER})?`, 'g')
const MAX_LOADED_NAMESPACES = 16

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name)

function references(text: string) {
  const found: { namespace: string; table: string | null }[] = []
  for (const match of text.matchAll(REFERENCE)) {
    found.push({ namespace: unquote(match[1]), table: match[2] ? unquote(match[2]) : null })
  }
  return found
}

function columnCompletion(column: Table['columns'][number], table?: string): Completion {
  const quoted = quoteIdentifier(column.name)
  return {
    label: column.name,
    apply: quoted === column.name ? undefined : quoted,
    type: 'property',
    detail: table ? `${column.type} · ${table}` : column.type,
  }
}

/** Completes the lake's names; the statement's text decides which namespaces' tables to fetch. */
export function lakeCompletionSource(catalog: LakeCatalog): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    let names: string[]
    try {
      names = await catalog.namespaces()
    } catch {
      return null // completion is a help, not a page: without the catalog the editor works as before
    }
    const byLowerName = new Map(names.map((name) => [name.toLowerCase(), name]))
    const named = references(context.state.doc.toString())
    const wanted = [
      ...new Set(named.map((ref) => byLowerName.get(ref.namespace.toLowerCase())).filter((name) => name !== undefined)),
    ].slice(0, MAX_LOADED_NAMESPACES)
    const tablesOf = new Map(
      await Promise.all(wanted.map(async (name) => [name, await catalog.tables(name).catch(() => [])] as const)),
    )
    if (context.aborted) return null

    const schema: Record<string, SQLNamespace> = {}
    for (const name of names) {
      const children: Record<string, SQLNamespace> = {}
      for (const table of tablesOf.get(name) ?? []) {
        children[table.name] = {
          self: { label: quoteIdentifier(table.name), type: 'type', detail: 'table' },
          children: table.columns.map((column) => columnCompletion(column)),
        }
      }
      schema[name] = { self: { label: quoteIdentifier(name), type: 'namespace', detail: 'namespace' }, children }
    }
    const result = await schemaCompletionSource({ dialect: PostgreSQL, schema })(context)
    if (!result || context.state.sliceDoc(result.from - 1, result.from) === '.') return result

    // A bare name may also be a column of a table the statement reads.
    const columns: Completion[] = []
    const seen = new Set(result.options.map((option) => option.label))
    for (const ref of named) {
      const namespace = ref.table && byLowerName.get(ref.namespace.toLowerCase())
      const table = namespace && tablesOf.get(namespace)?.find((t) => t.name.toLowerCase() === ref.table!.toLowerCase())
      if (!table) continue
      for (const column of table.columns) {
        if (seen.has(column.name)) continue
        seen.add(column.name)
        columns.push(columnCompletion(column, `${namespace}.${table.name}`))
      }
    }
    return columns.length ? { ...result, options: [...result.options, ...columns] } : result
  }
}

/** The editor's language: SQL in PostgreSQL's dialect (close to DuckDB's), with upper-case
 *  keyword completion and the lake's names. */
export function lakeSql(source: CompletionSource): LanguageSupport {
  return new LanguageSupport(PostgreSQL.language, [
    PostgreSQL.language.data.of({ autocomplete: keywordCompletionSource(PostgreSQL, true) }),
    PostgreSQL.language.data.of({ autocomplete: source }),
  ])
}
