// /tables/{ns}: the namespace's tables, loading data into it, and dropping it (admins only).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, data } from '../api/client'
import { useCapabilities } from '../auth/AuthProvider'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount } from '../ui/format'
import { ConfirmDialog } from '../ui/Dialog'
import { tablePath } from './NamespaceTree'
import { lakeKeys, useTables } from '../api/queries'
import { invalidateLake } from './queries'

export function NamespaceView({ ns, onIngest }: { ns: string; onIngest(): void }) {
  const tables = useTables(ns)
  const capabilities = useCapabilities()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)
  const drop = useMutation({
    mutationFn: async () => data(await api.DELETE('/api/v1/namespaces/{ns}', { params: { path: { ns } } })),
    onSuccess: () => {
      // Away first: refreshing while this page shows would flash the namespace's 404.
      navigate('/tables')
      queryClient.removeQueries({ queryKey: lakeKeys.tables(ns) })
      void invalidateLake(queryClient)
    },
  })
  const titleId = 'namespace-title'

  return (
    <section aria-labelledby={titleId}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/tables">Tables</Link> / <span aria-current="page">{ns}</span>
      </nav>
      <h1 id={titleId}>{ns}</h1>
      <div className="toolbar">
        {capabilities.namespace(ns, 'writer') && (
          <button type="button" onClick={onIngest}>
            Load data
          </button>
        )}
        {capabilities.namespace(ns, 'admin') && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Drop namespace
          </button>
        )}
      </div>
      {tables.isPending && <p className="muted">Loading…</p>}
      {tables.isError && <ErrorMessage error={tables.error} />}
      {tables.data && tables.data.tables.length === 0 && <p className="muted">No tables in {ns} yet.</p>}
      {tables.data && tables.data.tables.length > 0 && (
        <table aria-label={`Tables in ${ns}`} className="tables-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="numeric">
                Rows
              </th>
              <th scope="col" className="numeric">
                Size
              </th>
              <th scope="col" className="numeric">
                Files
              </th>
              <th scope="col">Comment</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {tables.data.tables.map((table) => (
              <tr key={table.name}>
                <td>
                  <Link to={tablePath(ns, table.name)}>{table.name}</Link>
                </td>
                <td className="numeric">{formatCount(table.row_count)}</td>
                <td className="numeric">{formatBytes(table.size_bytes)}</td>
                <td className="numeric">{formatCount(table.file_count)}</td>
                <td>{table.comment ?? <span className="muted">—</span>}</td>
                <td>
                  <TagList tags={table.tags} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Drop namespace ${ns}?`}
          confirmLabel="Drop namespace"
          busy={drop.isPending}
          error={drop.isError && <ErrorMessage error={drop.error} />}
          onConfirm={() => drop.mutate()}
          onClose={() => {
            setConfirming(false)
            drop.reset()
          }}
        >
          <p>
            The namespace and every grant on it go. Only an empty namespace can be dropped: drop or move its tables
            first.
          </p>
        </ConfirmDialog>
      )}
    </section>
  )
}

export function TagList({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags)
  if (entries.length === 0) return <span className="muted">—</span>
  return (
    <ul className="tag-list" aria-label="Tags">
      {entries.map(([name, value]) => (
        <li key={name} className="badge">
          {name}
          {value !== '' && `=${value}`}
        </li>
      ))}
    </ul>
  )
}
