// Helpers of the SQL page's tests (not part of the app): data through the API, the editor through
// CodeMirror's own API, where jsdom's missing layout makes typing unreliable.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { EditorView } from 'codemirror'
import { expect } from 'vitest'
import { api, data, rawFetch } from '../api/client'
import { runQuery } from '../api/query'
import { uniqueName } from '../../test/render'

// jsdom lays nothing out and its Range cannot measure text, which CodeMirror does after each
// change (for the cursor and selection): measure nothing, as an unrendered page would.
if (!('getClientRects' in Range.prototype)) {
  Object.assign(Range.prototype, {
    getClientRects: () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }),
    getBoundingClientRect: () => new DOMRect(),
  })
}

/** A fresh namespace, for this test only. */
export async function makeNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix)
  data(await api.POST('/api/v1/namespaces', { body: { name } }))
  return name
}

/** Runs statements one after another; returns the last one's result. */
export async function sql(...statements: string[]) {
  let result = await runQuery({ sql: statements[0] })
  for (const statement of statements.slice(1)) result = await runQuery({ sql: statement })
  return result
}

export async function editorView(): Promise<EditorView> {
  const content = await screen.findByRole('textbox', { name: 'SQL editor' })
  const view = EditorView.findFromDOM(content)
  if (!view) throw new Error('the SQL editor has no EditorView')
  return view
}

export async function setEditorText(text: string) {
  const view = await editorView()
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
}

/** Puts `text` in the editor and runs it, as the Run button does. */
export async function runInEditor(text: string) {
  await setEditorText(text)
  await userEvent.click(screen.getByRole('button', { name: 'Run' }))
}

/** The bytes the query route answers to `body`: what an export of the same request must hold. */
export async function queryBytes(body: object): Promise<Uint8Array> {
  const response = await rawFetch('/api/v1/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return new Uint8Array(await response.arrayBuffer())
}

/** The announced status line of the result. */
export function status(): HTMLElement {
  const heading = screen.getByRole('heading', { name: 'Result' })
  return within(heading.closest('section')!).getAllByRole('status')[0]
}

export async function waitForStatus(pattern: RegExp, timeout = 10_000) {
  await waitFor(() => expect(status()).toHaveTextContent(pattern), { timeout })
}

/**
 * The snapshot the status line says the result was read at. Other test files commit to the same
 * server meanwhile, so a query of "the latest" may read a later snapshot than a test's own write.
 */
export function statusSnapshot(): number {
  const match = /read at snapshot (\d+)$/.exec(status().textContent ?? '')
  if (!match) throw new Error(`the status names no snapshot: ${status().textContent}`)
  return Number(match[1])
}

/** The cells of the rows the grid shows, as text, without the header row. */
export function gridRows(name = 'Query result'): string[][] {
  const grid = screen.getByRole('grid', { name })
  return within(grid)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('gridcell').map((cell) => cell.textContent ?? ''))
}
