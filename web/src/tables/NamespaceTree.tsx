// The side panel of every Tables page: namespaces, each opening onto its tables. A WAI-ARIA tree:
// one tab stop, arrows move and open/close, Enter opens the page of the focused item.
import { useQueries } from '@tanstack/react-query'
import { useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { ErrorMessage } from '../ui/ErrorMessage'
import { tablesQuery, useNamespaces } from '../api/queries'

type Item = { id: string; ns: string; table?: string }

const itemId = (ns: string, table?: string) => (table === undefined ? `n:${ns}` : `t:${ns}\u0000${table}`)

export const namespacePath = (ns: string) => `/tables/${encodeURIComponent(ns)}`
export const tablePath = (ns: string, table: string) => `${namespacePath(ns)}/${encodeURIComponent(table)}`

export function NamespaceTree({ ns, table }: { ns?: string; table?: string }) {
  const navigate = useNavigate()
  const namespaces = useNamespaces()
  // What the user opened or closed; a namespace not touched is open when it is the current one.
  const [toggled, setToggled] = useState(() => new Map<string, boolean>())
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const refs = useRef(new Map<string, HTMLLIElement>())

  const names = namespaces.data?.namespaces.map((namespace) => namespace.name) ?? []
  const isOpen = (name: string) => toggled.get(name) ?? name === ns
  const openNames = names.filter(isOpen)
  const tableLists = useQueries({ queries: openNames.map((name) => tablesQuery(name)) })
  const tablesOf = new Map(openNames.map((name, index) => [name, tableLists[index]]))

  const visible: Item[] = []
  for (const name of names) {
    visible.push({ id: itemId(name), ns: name })
    for (const entry of tablesOf.get(name)?.data?.tables ?? []) visible.push({ id: itemId(name, entry.name), ns: name, table: entry.name })
  }
  const currentId = ns === undefined ? null : itemId(ns, table)
  const tabStop = visible.find((item) => item.id === focusedId)?.id ?? visible.find((item) => item.id === currentId)?.id ?? visible[0]?.id

  const setOpen = (name: string, open: boolean) => setToggled((previous) => new Map(previous).set(name, open))
  const focus = (item: Item | undefined) => {
    if (!item) return
    setFocusedId(item.id)
    refs.current.get(item.id)?.focus()
  }
  const activate = (item: Item) => {
    if (item.table === undefined) setOpen(item.ns, true)
    navigate(item.table === undefined ? namespacePath(item.ns) : tablePath(item.ns, item.table))
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const index = visible.findIndex((item) => item.id === tabStop)
    const item = visible[index]
    if (!item) return
    const isNamespace = item.table === undefined
    const actions: Record<string, () => void> = {
      ArrowDown: () => focus(visible[index + 1]),
      ArrowUp: () => focus(visible[index - 1]),
      Home: () => focus(visible[0]),
      End: () => focus(visible[visible.length - 1]),
      ArrowRight: () => {
        if (!isNamespace) return
        if (!isOpen(item.ns)) setOpen(item.ns, true)
        else if (visible[index + 1]?.table !== undefined) focus(visible[index + 1])
      },
      ArrowLeft: () => {
        if (isNamespace) setOpen(item.ns, false)
        else focus(visible.find((other) => other.id === itemId(item.ns)))
      },
      Enter: () => activate(item),
      ' ': () => activate(item),
    }
    const action = actions[event.key]
    if (action) {
      event.preventDefault()
      action()
    }
  }

  const itemProps = (item: Item) => ({
    role: 'treeitem',
    'aria-selected': item.id === currentId,
    tabIndex: item.id === tabStop ? 0 : -1,
    ref: (element: HTMLLIElement | null) => {
      if (element) refs.current.set(item.id, element)
      else refs.current.delete(item.id)
    },
    onFocus: (event: { target: EventTarget; currentTarget: EventTarget }) => {
      if (event.target === event.currentTarget) setFocusedId(item.id)
    },
    onClick: (event: MouseEvent) => {
      event.stopPropagation()
      setFocusedId(item.id)
      activate(item)
    },
  })

  return (
    <nav className="namespace-tree panel" aria-labelledby="namespace-tree-title">
      <h2 id="namespace-tree-title">
        <Link to="/tables">Namespaces</Link>
      </h2>
      {namespaces.isPending && <p className="muted">Loading…</p>}
      {namespaces.isError && <ErrorMessage error={namespaces.error} />}
      {namespaces.isSuccess && names.length === 0 && <p className="muted">No namespaces yet.</p>}
      {names.length > 0 && (
        <ul role="tree" aria-label="Namespaces and tables" onKeyDown={onKeyDown}>
          {names.map((name) => {
            const open = isOpen(name)
            const tables = tablesOf.get(name)
            return (
              <li key={name} {...itemProps({ id: itemId(name), ns: name })} aria-level={1} aria-expanded={open} aria-labelledby={`${itemId(name)}-name`}>
                <span className={`tree-row${itemId(name) === currentId ? ' current' : ''}`}>
                  <span
                    className="tree-twisty"
                    aria-hidden="true"
                    onClick={(event) => {
                      event.stopPropagation()
                      setOpen(name, !open)
                    }}
                  >
                    {open ? '▾' : '▸'}
                  </span>
                  {/* Named by this, not aria-label: the name a reader hears is the text shown. */}
                  <span id={`${itemId(name)}-name`}>{name}</span>
                </span>
                {open && (
                  <ul role="group">
                    {tables?.isPending && (
                      <li role="none" className="muted tree-note">
                        Loading…
                      </li>
                    )}
                    {tables?.isError && (
                      <li role="none">
                        <ErrorMessage error={tables.error} />
                      </li>
                    )}
                    {tables?.data?.tables.length === 0 && (
                      <li role="none" className="muted tree-note">
                        No tables
                      </li>
                    )}
                    {tables?.data?.tables.map((entry) => {
                      const item = { id: itemId(name, entry.name), ns: name, table: entry.name }
                      return (
                        <li key={entry.name} {...itemProps(item)} aria-level={2}>
                          <span className={`tree-row${item.id === currentId ? ' current' : ''}`}>{entry.name}</span>
                        </li>
                      )
                    })}
                  </ul>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </nav>
  )
}
