// The results of one search, grouped by kind. Tables, columns and objects come a page at a time
// from the lake's search; jobs from the lineage's. Up/Down move between all results as one list.
import { useInfiniteQuery } from '@tanstack/react-query'
import type { KeyboardEvent, ReactNode } from 'react'
import { Link } from 'react-router'
import { api, data } from '../api/client'
import { useCapabilities } from '../auth/AuthProvider'
import { lineageHref, tableHref } from '../lineage/links'
import { objectUrl } from '../ui/routes'
import { useMarquezSearch } from '../lineage/queries'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount } from '../ui/format'

const PAGE = 50
const JOBS = 50

/** The text with each case-insensitive occurrence of `q` marked. */
function Highlight({ text, q }: { text: string; q: string }) {
  const parts: ReactNode[] = []
  const lower = text.toLowerCase()
  const needle = q.toLowerCase()
  let at = 0
  for (let found = lower.indexOf(needle); needle && found !== -1; found = lower.indexOf(needle, at)) {
    parts.push(text.slice(at, found), <mark key={found}>{text.slice(found, found + needle.length)}</mark>)
    at = found + needle.length
  }
  parts.push(text.slice(at))
  return <>{parts}</>
}

function Group({ title, count, more, children }: { title: string; count: number; more?: string; children: ReactNode }) {
  const id = `search-group-${title.toLowerCase()}`
  return (
    <section className="search-group" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="muted">({formatCount(count)}{more})</span>
      </h2>
      <ul aria-label={title}>{children}</ul>
    </section>
  )
}

interface ResultProps {
  to: string
  kind: string
  /** The result's name as plain text: the link's name, whatever marks split its text. */
  name: string
  q: string
  detail?: ReactNode
}

function Result({ to, kind, name, q, detail }: ResultProps) {
  return (
    <li className="search-result">
      <span className={`badge kind-${kind.toLowerCase()}`}>{kind}</span>{' '}
      <Link to={to} data-search-result="" aria-label={name}>
        <Highlight text={name} q={q} />
      </Link>
      {detail && <span className="muted"> {detail}</span>}
    </li>
  )
}

export function SearchResults({ q, onLeave }: { q: string; onLeave(): void }) {
  const capabilities = useCapabilities()
  const mayReadLineage = capabilities.lake('reader')
  const lake = useInfiniteQuery({
    queryKey: ['search', { q, limit: PAGE }, 'pages'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/api/v1/search', { params: { query: { q, cursor: pageParam, limit: PAGE } }, signal })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  })
  const jobs = useMarquezSearch(mayReadLineage ? q : '', 'JOB', JOBS)

  const results = lake.data?.pages.flatMap((page) => page.results) ?? []
  const lowerQ = q.toLowerCase()
  const tables = results.flatMap((result) => (result.kind === 'table' ? [result] : []))
  // A table found through its columns is listed under Columns; one whose name matches (or that
  // matched by comment or tag) under Tables.
  const byName = tables.filter(
    (table) => table.matched_columns.length === 0 || `${table.namespace}.${table.name}`.toLowerCase().includes(lowerQ),
  )
  const columns = tables.flatMap((table) => table.matched_columns.map((column) => ({ table, column })))
  const objects = results.flatMap((result) => (result.kind === 'object' ? [result] : []))
  const jobResults = jobs.data?.results ?? []
  const more = lake.hasNextPage ? ' so far' : ''

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const links = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-search-result]')]
    const at = links.indexOf(document.activeElement as HTMLElement)
    const go = (index: number) => {
      event.preventDefault()
      links[Math.max(0, Math.min(links.length - 1, index))]?.focus()
    }
    if (event.key === 'ArrowDown') go(at + 1)
    else if (event.key === 'ArrowUp') {
      if (at <= 0) {
        event.preventDefault()
        onLeave()
      } else go(at - 1)
    } else if (event.key === 'Home') go(0)
    else if (event.key === 'End') go(links.length - 1)
    else if (event.key === 'Escape') {
      event.preventDefault()
      onLeave()
    }
  }

  const lakeDone = lake.isSuccess && !lake.hasNextPage
  const jobsDone = !mayReadLineage || jobs.isSuccess || jobs.isError
  const nothing = lakeDone && jobsDone && results.length === 0 && jobResults.length === 0

  return (
    <div className="search-results" onKeyDown={onKeyDown}>
      <p role="status" className="muted">
        {lake.isPending || (mayReadLineage && jobs.isPending)
          ? 'Searching…'
          : nothing
            ? ''
            : `${formatCount(results.length + jobResults.length)} results${more} for “${q}”`}
      </p>
      {lake.isError && <ErrorMessage error={lake.error} />}
      {nothing && (
        <p className="search-empty">
          Nothing matches “{q}”. Search looks for the text inside names, so try a shorter part of one.
        </p>
      )}
      {byName.length > 0 && (
        <Group title="Tables" count={byName.length} more={more}>
          {byName.map((table) => (
            <Result
              key={`${table.namespace}.${table.name}`}
              kind="Table"
              to={tableHref(table.namespace, table.name)}
              name={`${table.namespace}.${table.name}`}
              q={q}
            />
          ))}
        </Group>
      )}
      {columns.length > 0 && (
        <Group title="Columns" count={columns.length} more={more}>
          {columns.map(({ table, column }) => (
            <Result
              key={`${table.namespace}.${table.name}.${column}`}
              kind="Column"
              to={tableHref(table.namespace, table.name)}
              name={`${table.namespace}.${table.name}.${column}`}
              q={q}
            />
          ))}
        </Group>
      )}
      {objects.length > 0 && (
        <Group title="Objects" count={objects.length} more={more}>
          {objects.map((object) => (
            <Result
              key={`${object.volume}/${object.key}`}
              kind="Object"
              to={objectUrl(object.volume, object.key)}
              detail={`${formatBytes(object.size)}, ${object.content_type}`}
              name={`${object.volume}/${object.key}`}
              q={q}
            />
          ))}
        </Group>
      )}
      {lake.hasNextPage && (
        <button type="button" onClick={() => void lake.fetchNextPage()} disabled={lake.isFetchingNextPage}>
          {lake.isFetchingNextPage ? 'Loading…' : 'More tables and objects'}
        </button>
      )}
      {jobResults.length > 0 && (
        <Group title="Jobs" count={jobResults.length} more={jobResults.length === JOBS ? '+' : ''}>
          {jobResults.map((job) => (
            <Result key={job.nodeId} kind="Job" to={lineageHref(job.nodeId)} detail={job.namespace} name={job.name} q={q} />
          ))}
        </Group>
      )}
      {jobs.isError && <ErrorMessage error={jobs.error} />}
      {!mayReadLineage && (
        <p className="muted">Jobs are not searched: lineage needs the reader role on the whole lake.</p>
      )}
    </div>
  )
}
