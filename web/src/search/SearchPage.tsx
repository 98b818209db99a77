// /search?q=…: one box across the lake's tables, columns and objects (GET /api/v1/search) and the
// lineage's jobs (the Marquez search), grouped by kind, each result a link to its page.
import { useRef, type FormEvent, type KeyboardEvent } from 'react'
import './search.css'
import { SearchResults } from './SearchResults'
import { useDebounced } from './useDebounced'
import { useSearchParamText } from './useSearchParamText'

export default function SearchPage() {
  const [text, setText] = useSearchParamText('q')
  const q = useDebounced(text.trim())
  const resultsRef = useRef<HTMLDivElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)

  const firstResult = () => resultsRef.current?.querySelector<HTMLElement>('[data-search-result]')?.focus()

  const onInputKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      firstResult()
    }
  }

  return (
    <section className="search-page" aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form
        role="search"
        aria-label="Search the lake"
        className="search-form"
        onSubmit={(event: FormEvent) => {
          event.preventDefault()
          setText(text.trim())
          firstResult()
        }}
      >
        <input
          ref={inputRef}
          type="search"
          aria-label="Search the lake"
          aria-describedby="search-help"
          placeholder="Table, column, object key or job"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onInputKey}
        />
      </form>
      <p id="search-help" className="muted">
        Finds tables by name, column, comment or tag, objects by key, metadata or tag, and jobs by name. Arrow keys move
        through the results; Escape goes back to the box.
      </p>
      {text.trim() === '' || q === '' ? (
        <p className="search-empty">Type what to look for: a table, a column, an object’s key or a job.</p>
      ) : (
        <div ref={resultsRef}>
          <SearchResults q={q} onLeave={() => inputRef.current?.focus()} />
        </div>
      )}
    </section>
  )
}
