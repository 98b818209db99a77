// The SQL workspace: write a statement, run it (optionally as of a snapshot), watch the result
// stream into the grid, chart or export it, and find it again in the history.
//
// The URL holds what can be shared: `?sql=` (the statement) and `?snapshot=` (time travel). A link
// with a query in it runs the query when opened; a write only lands in the editor.
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { ErrorMessage } from '../ui/ErrorMessage'
import { lakeCompletionSource, queryClientCatalog } from './completion'
import { withStorage } from '../ui/storage'
import { addHistory, clearHistory, DRAFT_KEY, useHistory, type HistoryEntry } from './history'
import { QueryHistory } from './QueryHistory'
import { ResultPanel } from './ResultPanel'
import { SqlEditor, type SqlEditorHandle } from './SqlEditor'
import { isReadStatement, parseSnapshot } from './statement'
import { useQueryRun, type RunOutcome } from './useQueryRun'
import './sql.css'

// The server refuses request targets over 8 KiB (docs/API.md, Limits), and a shared link is one.
const MAX_URL_SQL = 4000

function historyEntry(outcome: RunOutcome): Omit<HistoryEntry, 'id'> {
  const error = outcome.error
  return {
    sql: outcome.request.sql,
    snapshot: outcome.request.snapshot ?? null,
    at: new Date().toISOString(),
    durationMs: outcome.elapsedMs ?? 0,
    outcome: outcome.phase,
    rowCount: outcome.rowCount,
    error: error === null ? null : error instanceof Error ? error.message : String(error),
  }
}

export default function SqlPage() {
  const id = useId()
  const [params, setParams] = useSearchParams()
  const queryClient = useQueryClient()
  const completion = useMemo(() => lakeCompletionSource(queryClientCatalog(queryClient)), [queryClient])
  const { state, run, cancel } = useQueryRun()
  const history = useHistory()
  const editor = useRef<SqlEditorHandle>(null)

  const urlSql = params.get('sql')
  const snapshotText = params.get('snapshot') ?? ''
  const snapshot = parseSnapshot(snapshotText)
  const [initialText] = useState(() => urlSql ?? withStorage(() => sessionStorage.getItem(DRAFT_KEY), null) ?? '')
  const [empty, setEmpty] = useState(initialText.trim() === '')
  // The statement this page last put in the URL (or took from it), so its own change is not taken
  // for a new link.
  const sqlInUrl = useRef<string | null>(null)
  const draft = useRef<{ text: string; timer?: ReturnType<typeof setTimeout> }>({ text: initialText })

  const setParam = useCallback(
    (name: string, value: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current)
          if (value === null || value === '') next.delete(name)
          else next.set(name, value)
          return next
        },
        { replace: true },
      ),
    [setParams],
  )

  const execute = useCallback(
    async (sqlText: string, at: number | undefined) => {
      const sql = sqlText.trim()
      if (sql === '') return
      const shareable = encodeURIComponent(sql).length <= MAX_URL_SQL
      sqlInUrl.current = shareable ? sql : null
      setParam('sql', shareable ? sql : null)
      const outcome = await run({ sql, snapshot: at })
      if (!outcome) return
      addHistory(historyEntry(outcome))
      if (outcome.phase === 'done' && !isReadStatement(sql)) {
        // A write may change any table, count and snapshot list another page shows.
        void queryClient.invalidateQueries()
      }
    },
    [run, setParam, queryClient],
  )

  const runEditor = () => {
    if (snapshot === null) return
    void execute(editor.current?.getStatement() ?? '', snapshot)
  }
  // The draft outlives a visit to another page (this tab only); written when typing pauses.
  const saveDraft = useCallback(() => {
    clearTimeout(draft.current.timer)
    draft.current.timer = undefined
    withStorage(() => sessionStorage.setItem(DRAFT_KEY, draft.current.text), undefined)
  }, [])
  const onEditorChange = useCallback(
    (text: string) => {
      setEmpty(text.trim() === '')
      draft.current.text = text
      clearTimeout(draft.current.timer)
      draft.current.timer = setTimeout(saveDraft, 400)
    },
    [saveDraft],
  )
  useEffect(
    () => () => {
      if (draft.current.timer !== undefined) saveDraft()
    },
    [saveDraft],
  )

  // A link with a statement (opened, or followed while here): into the editor, and run if it reads.
  useEffect(() => {
    if (urlSql === null || urlSql === sqlInUrl.current) return
    sqlInUrl.current = urlSql
    editor.current?.setText(urlSql)
    if (isReadStatement(urlSql) && snapshot !== null) void execute(urlSql, snapshot)
    // Only a new statement in the URL starts this, not a change of the snapshot field.
  }, [urlSql])

  const restore = (entry: HistoryEntry) => {
    editor.current?.setText(entry.sql)
    setParam('snapshot', entry.snapshot === null ? null : String(entry.snapshot))
    editor.current?.focus()
  }

  const running = state.phase === 'running'

  return (
    <div className="sql-page">
      <div className="sql-main">
        <h1>SQL</h1>
        <SqlEditor
          ref={editor}
          initialText={initialText}
          completion={completion}
          onChange={onEditorChange}
          onRun={runEditor}
        />
        <div className="toolbar sql-toolbar">
          <button
            type="button"
            className="primary"
            onClick={runEditor}
            disabled={empty || snapshot === null}
            aria-keyshortcuts="Control+Enter Meta+Enter"
            title="Runs the statement, or the selected text (Ctrl+Enter or ⌘+Enter)"
          >
            Run
          </button>
          <button type="button" onClick={cancel} disabled={!running}>
            Cancel
          </button>
          <label className="sql-snapshot">
            Snapshot
            <input
              type="text"
              inputMode="numeric"
              placeholder="latest"
              size={10}
              value={snapshotText}
              aria-invalid={snapshot === null}
              aria-describedby={`${id}-snapshot-hint`}
              onChange={(event) => setParam('snapshot', event.target.value)}
            />
          </label>
          <span id={`${id}-snapshot-hint`} className={snapshot === null ? 'error' : 'muted'}>
            {snapshot === null
              ? 'A snapshot is a whole number, 0 or more.'
              : 'Reads the lake as of this snapshot; empty reads the latest.'}
          </span>
        </div>
        {state.phase === 'failed' && <ErrorMessage error={state.error} />}
        <ResultPanel state={state} />
      </div>
      <QueryHistory entries={history} onRestore={restore} onClear={clearHistory} />
    </div>
  )
}
