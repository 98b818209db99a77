// WAI-ARIA tabs: one tab stop for the list, arrows move between tabs (and select them), Home/End
// jump to the ends. The panel is the caller's, wired with tabPanelProps().
import { useRef, type KeyboardEvent } from 'react'

export interface TabSpec<K extends string> {
  key: K
  label: string
}

export function tabIds(prefix: string, key: string) {
  return { tab: `${prefix}-tab-${key}`, panel: `${prefix}-panel-${key}` }
}

export function tabPanelProps(prefix: string, key: string) {
  const ids = tabIds(prefix, key)
  return { role: 'tabpanel', id: ids.panel, 'aria-labelledby': ids.tab, tabIndex: 0 } as const
}

export function Tabs<K extends string>({
  label,
  prefix,
  tabs,
  selected,
  onSelect,
}: {
  label: string
  prefix: string
  tabs: TabSpec<K>[]
  selected: K
  onSelect(key: K): void
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>())

  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.key === selected)
    const targets: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }
    const next = targets[event.key]
    if (next === undefined) return
    event.preventDefault()
    const key = tabs[next].key
    onSelect(key)
    refs.current.get(key)?.focus()
  }

  return (
    <div role="tablist" aria-label={label} className="tables-tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const ids = tabIds(prefix, tab.key)
        const isSelected = tab.key === selected
        return (
          <button
            key={tab.key}
            ref={(element) => {
              if (element) refs.current.set(tab.key, element)
              else refs.current.delete(tab.key)
            }}
            type="button"
            role="tab"
            id={ids.tab}
            aria-selected={isSelected}
            // Only the selected tab's panel is rendered.
            aria-controls={isSelected ? ids.panel : undefined}
            tabIndex={isSelected ? 0 : -1}
            onClick={() => onSelect(tab.key)}
          >
            {tab.label}
          </button>
        )
      })}
    </div>
  )
}
