// /tables: the namespaces the caller may read, and a new one for those who may write the lake.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, data } from '../api/client'
import { useCapabilities } from '../auth/AuthProvider'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount } from '../ui/format'
import { namespacePath } from './NamespaceTree'
import { useNamespaces } from '../api/queries'
import { invalidateLake } from './queries'
import { nameProblem } from './sql'

export function NamespaceList({ onIngest }: { onIngest(): void }) {
  const namespaces = useNamespaces()
  const capabilities = useCapabilities()
  const canIngest = namespaces.data?.namespaces.some((ns) => capabilities.namespace(ns.name, 'writer')) ?? false

  return (
    <section aria-labelledby="tables-title">
      <h1 id="tables-title">Tables</h1>
      <div className="toolbar">
        {canIngest && (
          <button type="button" onClick={onIngest}>
            Load data
          </button>
        )}
      </div>
      {capabilities.lake('writer') && <CreateNamespaceForm />}
      <h2 id="namespaces-title">Namespaces</h2>
      {namespaces.isPending && <p className="muted">Loading…</p>}
      {namespaces.isError && <ErrorMessage error={namespaces.error} />}
      {namespaces.data && namespaces.data.namespaces.length === 0 && <p className="muted">No namespaces yet.</p>}
      {namespaces.data && namespaces.data.namespaces.length > 0 && (
        <table aria-labelledby="namespaces-title" className="tables-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="numeric">
                Tables
              </th>
              <th scope="col" className="numeric">
                Created at snapshot
              </th>
            </tr>
          </thead>
          <tbody>
            {namespaces.data.namespaces.map((ns) => (
              <tr key={ns.name}>
                <td>
                  <Link to={namespacePath(ns.name)}>{ns.name}</Link>
                </td>
                <td className="numeric">{formatCount(ns.table_count)}</td>
                <td className="numeric">{ns.created_snapshot}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function CreateNamespaceForm() {
  const [name, setName] = useState('')
  const [touched, setTouched] = useState(false)
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const create = useMutation({
    mutationFn: async (name: string) => data(await api.POST('/api/v1/namespaces', { body: { name } })),
    onSuccess: async (created) => {
      await invalidateLake(queryClient)
      navigate(namespacePath(created.name))
    },
  })
  const problem = nameProblem(name.trim())

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTouched(true)
    if (!problem) create.mutate(name.trim())
  }

  return (
    <form className="inline-form" aria-label="Create namespace" onSubmit={submit} noValidate>
      <label>
        Namespace name
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={touched && problem !== null}
          aria-describedby="namespace-name-problem"
          autoComplete="off"
        />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create namespace
      </button>
      <span id="namespace-name-problem" className="error">
        {touched && problem}
      </span>
      {create.isError && <ErrorMessage error={create.error} />}
    </form>
  )
}
