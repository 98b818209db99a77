// The statement editor: CodeMirror 6 with SQL highlighting, line numbers, the lake's names as
// completions, and Ctrl/Cmd+Enter to run. Tab is left to the page, so the keyboard can leave it.
import { closeCompletion, type CompletionSource } from '@codemirror/autocomplete'
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { Prec } from '@codemirror/state'
import { keymap, placeholder } from '@codemirror/view'
import { tags } from '@lezer/highlight'
import { basicSetup, EditorView } from 'codemirror'
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react'
import { lakeSql } from './completion'

export interface SqlEditorHandle {
  /** What Run runs: the selected text, or the whole text when nothing is selected. */
  getStatement(): string
  /** Replaces the whole text and puts the cursor at its end. */
  setText(text: string): void
  focus(): void
}

interface Props {
  ref?: Ref<SqlEditorHandle>
  initialText: string
  completion: CompletionSource
  onChange(text: string): void
  onRun(): void
  /** The editor's accessible name. */
  label?: string
}

// Colours from the page's variables (sql.css), so the editor follows the light or dark scheme.
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--bg)', color: 'var(--fg)', height: '100%' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace", fontSize: '13px' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-soft)', color: 'var(--fg-soft)', borderRight: '1px solid var(--line)' },
  // See-through, so a selection on the active line still shows.
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--sql-active-line)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground': {
    backgroundColor: 'var(--sql-selection)',
  },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--line)', borderRadius: '6px' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent-soft)', color: 'var(--fg)' },
  '.cm-completionDetail': { color: 'var(--fg-soft)' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '700' },
})

const highlighting = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--sql-keyword)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--sql-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--sql-number)' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--sql-builtin)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--fg-soft)', fontStyle: 'italic' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--fg-soft)' },
])

export function SqlEditor({ ref, initialText, completion, onChange, onRun, label = 'SQL editor' }: Props) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  // The view is made once; it calls whatever the latest props say.
  const callbacks = useRef({ onChange, onRun })
  callbacks.current = { onChange, onRun }
  const initial = useRef(initialText)

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      doc: initial.current,
      extensions: [
        Prec.highest(
          keymap.of([
            {
              key: 'Mod-Enter',
              preventDefault: true,
              run: (target) => {
                closeCompletion(target)
                callbacks.current.onRun()
                return true
              },
            },
          ]),
        ),
        basicSetup,
        syntaxHighlighting(highlighting),
        lakeSql(completion),
        placeholder('SELECT * FROM namespace.table'),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) callbacks.current.onChange(update.state.doc.toString())
        }),
        theme,
      ],
    })
    view.current = editor
    return () => {
      initial.current = editor.state.doc.toString()
      editor.destroy()
      view.current = null
    }
  }, [completion, label])

  useImperativeHandle(
    ref,
    () => ({
      getStatement() {
        const state = view.current?.state
        if (!state) return initial.current
        const { from, to, empty } = state.selection.main
        return empty ? state.doc.toString() : state.sliceDoc(from, to)
      },
      setText(text) {
        const editor = view.current
        if (!editor) {
          initial.current = text
          return
        }
        editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text }, selection: { anchor: text.length } })
      },
      focus: () => view.current?.focus(),
    }),
    [],
  )

  return <div className="sql-editor" ref={host} />
}
