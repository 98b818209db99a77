// /lineage without a node: find a dataset or job by name, or browse the lineage namespaces.
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api, data } from '../api/client'
import { useDebounced } from '../search/useDebounced'
import { useSearchParamText } from '../search/useSearchParamText'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount } from '../ui/format'
import { LineageError } from './LineageError'
import { datasetNodeId, jobNodeId, lineageHref } from './links'
import { useMarquezSearch } from './queries'

const BROWSE_LIMIT = 100

function SearchResults({ q }: { q: string }) {
  const results = useMarquezSearch(q, undefined, 100)
  if (results.isPending) return <p role="status" className="muted">Searching…</p>
  if (results.isError) return <LineageError error={results.error} />
  if (results.data.results.length === 0) return <p className="muted">No dataset or job has “{q}” in its name.</p>
  return (
    <ul className="lineage-choices" aria-label="Matching datasets and jobs">
      {results.data.results.map((result) => (
        <li key={result.nodeId}>
          <span className={`badge kind-${result.type === 'JOB' ? 'job' : 'dataset'}`}>
            {result.type === 'JOB' ? 'Job' : 'Dataset'}
          </span>{' '}
          <Link to={lineageHref(result.nodeId)}>{result.name}</Link> <span className="muted mono">{result.namespace}</span>
        </li>
      ))}
    </ul>
  )
}

function NamespaceContents({ namespace }: { namespace: string }) {
  const datasets = useQuery({
    queryKey: ['lineage', 'namespace-datasets', namespace],
    queryFn: async ({ signal }) =>
      data(
        await api.GET('/marquez/api/v1/namespaces/{ns}/datasets', {
          params: { path: { ns: namespace }, query: { limit: BROWSE_LIMIT } },
          signal,
        }),
      ),
  })
  const jobs = useQuery({
    queryKey: ['lineage', 'namespace-jobs', namespace],
    queryFn: async ({ signal }) =>
      data(
        await api.GET('/marquez/api/v1/namespaces/{ns}/jobs', {
          params: { path: { ns: namespace }, query: { limit: BROWSE_LIMIT } },
          signal,
        }),
      ),
  })
  const section = (
    title: string,
    query: typeof datasets | typeof jobs,
    items: { id: string; name: string }[],
    total: number,
  ) => (
    <div className="lineage-namespace-part">
      <h3>
        {title} {query.isSuccess && <span className="muted">({formatCount(total)})</span>}
      </h3>
      {query.isPending ? (
        <p role="status" className="muted">Loading…</p>
      ) : query.isError ? (
        <ErrorMessage error={query.error} />
      ) : items.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <>
          <ul aria-label={`${title} in ${namespace}`}>
            {items.map((item) => (
              <li key={item.id}>
                <Link to={lineageHref(item.id)}>{item.name}</Link>
              </li>
            ))}
          </ul>
          {total > items.length && (
            <p className="muted">
              The first {items.length} of {formatCount(total)}; search to find the others.
            </p>
          )}
        </>
      )}
    </div>
  )
  return (
    <div className="lineage-namespace">
      {section(
        'Datasets',
        datasets,
        (datasets.data?.datasets ?? []).map((d) => ({ id: datasetNodeId(d.namespace, d.name), name: d.name })),
        datasets.data?.totalCount ?? 0,
      )}
      {section(
        'Jobs',
        jobs,
        (jobs.data?.jobs ?? []).map((j) => ({ id: jobNodeId(j.namespace, j.name), name: j.name })),
        jobs.data?.totalCount ?? 0,
      )}
    </div>
  )
}

function NamespaceEntry({ name }: { name: string }) {
  // Loaded when first opened: a lake may have many lineage namespaces.
  const [opened, setOpened] = useState(false)
  return (
    <li>
      <details onToggle={(event) => event.currentTarget.open && setOpened(true)}>
        <summary className="mono">{name}</summary>
        {opened && <NamespaceContents namespace={name} />}
      </details>
    </li>
  )
}

function Browse() {
  const namespaces = useQuery({
    queryKey: ['lineage', 'namespaces'],
    queryFn: async ({ signal }) => data(await api.GET('/marquez/api/v1/namespaces', { signal })).namespaces,
  })
  if (namespaces.isPending) return <p role="status" className="muted">Loading lineage namespaces…</p>
  if (namespaces.isError) return <LineageError error={namespaces.error} />
  if (namespaces.data.length === 0) return <p className="muted">No lineage yet: jobs that move data will appear here.</p>
  return (
    <section aria-labelledby="lineage-namespaces">
      <h2 id="lineage-namespaces">Lineage namespaces</h2>
      <p className="muted">
        <span className="mono">ducklake://…</span> holds the lake’s tables and jobs;{' '}
        <span className="mono">file</span> and <span className="mono">s3://…</span> hold objects, named where they
        are stored.
      </p>
      <ul className="lineage-namespaces" aria-label="Lineage namespaces">
        {namespaces.data.map((namespace) => (
          <NamespaceEntry key={namespace.name} name={namespace.name} />
        ))}
      </ul>
    </section>
  )
}

export function NodeChooser() {
  const [text, setText] = useSearchParamText('q')
  const q = useDebounced(text.trim())
  return (
    <section className="lineage-chooser" aria-labelledby="lineage-title">
      <h1 id="lineage-title">Lineage</h1>
      <p className="muted">Pick a table, an object or a job to see where its data comes from and where it goes.</p>
      <form role="search" aria-label="Find lineage" onSubmit={(event: FormEvent) => event.preventDefault()} className="toolbar">
        <label>
          Find a dataset or job{' '}
          <input type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="orders" />
        </label>
      </form>
      {q ? <SearchResults q={q} /> : <Browse />}
    </section>
  )
}
