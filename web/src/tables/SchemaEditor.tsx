// Column changes, as ALTER TABLE statements through the SQL endpoint (docs/API.md, Writes and
// schema evolution in SQL): add, rename and drop. None of them rewrites data.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { runQuery } from '../api/query'
import { ErrorMessage } from '../ui/ErrorMessage'
import { ConfirmDialog, Dialog } from '../ui/Dialog'
import { invalidateLake } from './queries'
import { addColumnSql, dropColumnSql, renameColumnSql } from './sql'

/** Runs one schema change and refreshes every view of the lake once it committed. */
function useAlter(onDone: () => void) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (sql: string) => runQuery({ sql }),
    onSuccess: async () => {
      await invalidateLake(queryClient)
      onDone()
    },
  })
}

// DuckDB SQL types people reach for first; the field takes any type the server knows.
const COMMON_TYPES = [
  'BIGINT',
  'INTEGER',
  'SMALLINT',
  'DOUBLE',
  'FLOAT',
  'DECIMAL(18,2)',
  'VARCHAR',
  'BOOLEAN',
  'DATE',
  'TIMESTAMP',
  'TIMESTAMPTZ',
  'TIME',
  'INTERVAL',
  'UUID',
  'JSON',
  'BLOB',
  'VARCHAR[]',
  'BIGINT[]',
]

export function AddColumnDialog({ ns, table, onClose }: { ns: string; table: string; onClose(): void }) {
  const [name, setName] = useState('')
  const [type, setType] = useState('VARCHAR')
  const [withDefault, setWithDefault] = useState(false)
  const [defaultValue, setDefaultValue] = useState('')
  const alter = useAlter(onClose)
  const typesId = useId()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim() || !type.trim()) return
    alter.mutate(addColumnSql(ns, table, name.trim(), type.trim(), withDefault ? defaultValue : null))
  }

  return (
    <Dialog title="Add column" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Column name
          <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={255} autoFocus />
        </label>
        <label>
          Type
          <input value={type} onChange={(event) => setType(event.target.value)} list={typesId} required />
          <datalist id={typesId}>
            {COMMON_TYPES.map((option) => (
              <option key={option} value={option} />
            ))}
          </datalist>
          <span className="hint">A DuckDB SQL type, such as BIGINT, VARCHAR or DECIMAL(18,2).</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={withDefault} onChange={(event) => setWithDefault(event.target.checked)} />
          Give it a default
        </label>
        {withDefault && (
          <label>
            Default value
            <input value={defaultValue} onChange={(event) => setDefaultValue(event.target.value)} />
            <span className="hint">Existing rows read this value; it is converted to the column's type.</span>
          </label>
        )}
        {alter.isError && <ErrorMessage error={alter.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={alter.isPending}>
            {alter.isPending ? 'Adding…' : 'Add column'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

export function RenameColumnDialog({ ns, table, column, onClose }: { ns: string; table: string; column: string; onClose(): void }) {
  const [name, setName] = useState(column)
  const alter = useAlter(onClose)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim() || name.trim() === column) return
    alter.mutate(renameColumnSql(ns, table, column, name.trim()))
  }

  return (
    <Dialog title={`Rename column ${column}`} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          New name
          <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={255} autoFocus />
        </label>
        {alter.isError && <ErrorMessage error={alter.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={alter.isPending || name.trim() === column}>
            {alter.isPending ? 'Renaming…' : 'Rename column'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

export function DropColumnDialog({ ns, table, column, onClose }: { ns: string; table: string; column: string; onClose(): void }) {
  const alter = useAlter(onClose)
  return (
    <ConfirmDialog
      title={`Drop column ${column}?`}
      confirmLabel="Drop column"
      busy={alter.isPending}
      error={alter.isError && <ErrorMessage error={alter.error} />}
      onConfirm={() => alter.mutate(dropColumnSql(ns, table, column))}
      onClose={onClose}
    >
      <p>
        The column goes from {ns}.{table} from now on. Older snapshots still have it, and reading them as of before
        this change shows its values.
      </p>
    </ConfirmDialog>
  )
}
