import { CompletionContext, type CompletionResult, type CompletionSource } from '@codemirror/autocomplete'
import { EditorState } from '@codemirror/state'
import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { lakeCompletionSource, lakeSql, queryClientCatalog, type LakeCatalog } from './completion'
import { editorView, makeNamespace, setEditorText, sql } from './testing'

/** Completes at the end of the text with every source the state's language offers there. */
async function complete(state: EditorState, explicit = true): Promise<string[]> {
  const pos = state.doc.length
  const sources = state.languageDataAt<CompletionSource>('autocomplete', pos)
  const results = await Promise.all(sources.map((source) => source(new CompletionContext(state, pos, explicit))))
  return results.flatMap((result: CompletionResult | null) => result?.options.map((option) => option.label) ?? [])
}

function stateOf(text: string, catalog: LakeCatalog) {
  return EditorState.create({ doc: text, extensions: [lakeSql(lakeCompletionSource(catalog))] })
}

/** The real catalog, counting which namespaces' tables were fetched. */
function countingCatalog() {
  const catalog = queryClientCatalog(new QueryClient())
  const fetched: string[] = []
  return {
    fetched,
    catalog: {
      namespaces: () => catalog.namespaces(),
      tables: (ns: string) => {
        fetched.push(ns)
        return catalog.tables(ns)
      },
    } satisfies LakeCatalog,
  }
}

describe('completion', () => {
  it('offers the lake’s namespaces, a namespace’s tables and a table’s columns', async () => {
    const ns = await makeNamespace('sql_complete')
    const other = await makeNamespace('sql_complete_other')
    await sql(`CREATE TABLE ${ns}.orders (order_id BIGINT, "Gross Amount" DECIMAL(18,2))`, `CREATE TABLE ${other}.unrelated (x INTEGER)`)
    const { catalog, fetched } = countingCatalog()

    expect(await complete(stateOf(`SELECT * FROM ${ns.slice(0, 8)}`, catalog), false)).toContain(ns)
    expect(fetched).toEqual([])

    expect(await complete(stateOf(`SELECT * FROM ${ns}.`, catalog))).toContain('orders')
    expect(fetched).toEqual([ns]) // only the namespace the statement names

    expect(await complete(stateOf(`SELECT ${ns}.orders.`, catalog))).toEqual(expect.arrayContaining(['order_id', 'Gross Amount']))
  })

  it('offers a column of the tables a statement reads, and the alias’s columns', async () => {
    const ns = await makeNamespace('sql_columns')
    await sql(`CREATE TABLE ${ns}.events (event_time TIMESTAMP, kind VARCHAR)`)
    const { catalog } = countingCatalog()

    const alias = `SELECT e.| FROM ${ns}.events AS e`
    const state = EditorState.create({
      doc: alias.replace('|', ''),
      selection: { anchor: alias.indexOf('|') },
      extensions: [lakeSql(lakeCompletionSource(catalog))],
    })
    const context = new CompletionContext(state, alias.indexOf('|'), true)
    const result = await lakeCompletionSource(catalog)(context)
    expect(result?.options.map((option) => option.label)).toEqual(expect.arrayContaining(['event_time', 'kind']))

    const bare = `SELECT ev FROM ${ns}.events`
    const at = 'SELECT ev'.length
    const bareState = EditorState.create({ doc: bare, extensions: [lakeSql(lakeCompletionSource(catalog))] })
    const bareResult = await lakeCompletionSource(catalog)(new CompletionContext(bareState, at, false))
    const column = bareResult?.options.find((option) => option.label === 'event_time')
    expect(column?.detail).toBe(`timestamp · ${ns}.events`)
  })

  it('is wired into the page’s editor', async () => {
    const ns = await makeNamespace('sql_wired')
    await sql(`CREATE TABLE ${ns}.metrics (value DOUBLE)`)
    renderAt('/sql')
    await setEditorText(`SELECT * FROM ${ns}.`)
    const view = await editorView()
    expect(await complete(view.state)).toContain('metrics')
    await setEditorText(`SELECT * FROM ${ns}.metrics WHERE val`)
    expect(await complete(view.state, false)).toContain('value')
  })
})
