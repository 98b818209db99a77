// The Schema section: columns with types, nullability, defaults and comments, the table's comment
// and tags, and (for writers, on the latest snapshot) the changes to them.
import { useState } from 'react'
import type { Schemas } from '../api/client'
import { ErrorMessage } from '../ui/ErrorMessage'
import { MetadataEditor } from './MetadataEditor'
import { TagList } from './NamespaceView'
import type { CatalogTable } from './queries'
import { AddColumnDialog, DropColumnDialog, RenameColumnDialog } from './SchemaEditor'

type Column = Schemas['Column']

interface SchemaRow {
  key: string
  name: string
  type: string
  nullable: boolean
  default: string | null
  comment: string | null
  depth: number
  /** Top-level columns can be renamed and dropped; nested fields cannot. */
  topLevel: boolean
}

function rowsOf(columns: Column[], defaults: Map<string, string | null>, depth = 0, path = ''): SchemaRow[] {
  return columns.flatMap((column) => [
    {
      key: `${path}${column.id}`,
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      default: depth === 0 ? (defaults.get(column.name.toLowerCase()) ?? null) : null,
      comment: column.comment ?? null,
      depth,
      topLevel: depth === 0,
    },
    ...rowsOf(column.children ?? [], defaults, depth + 1, `${path}${column.id}.`),
  ])
}

type Editing = { kind: 'add' } | { kind: 'rename' | 'drop'; column: string } | { kind: 'metadata' }

export function TableSchema({
  ns,
  table,
  description,
  catalog,
  catalogError,
  snapshot,
  canEdit,
}: {
  ns: string
  table: string
  /** The latest description, shown unless `snapshot` asks for an older one (read from `catalog`). */
  description?: Schemas['Table']
  catalog?: CatalogTable
  catalogError?: unknown
  snapshot?: number
  canEdit: boolean
}) {
  const [editing, setEditing] = useState<Editing | null>(null)

  let rows: SchemaRow[]
  let comment: string | null
  let tags: Record<string, string>
  if (snapshot === undefined && description) {
    const defaults = new Map(catalog?.columns.map((column) => [column.name.toLowerCase(), column.default]) ?? [])
    rows = rowsOf(description.columns, defaults)
    comment = description.comment
    tags = description.tags
  } else if (snapshot !== undefined && catalog) {
    rows = catalog.columns.map((column) => ({ ...column, key: column.name, depth: 0, topLevel: true }))
    comment = catalog.comment
    tags = catalog.tags
  } else if (snapshot !== undefined && catalogError) {
    return <ErrorMessage error={catalogError} />
  } else {
    return <p className="muted">Loading…</p>
  }
  const editable = canEdit && snapshot === undefined

  return (
    <div className="table-schema">
      {snapshot !== undefined && (
        <p className="muted">Types as DuckDB SQL types, as the catalog had them at snapshot {snapshot}.</p>
      )}
      <dl className="table-meta">
        <dt>Comment</dt>
        <dd>{comment ?? <span className="muted">—</span>}</dd>
        <dt>Tags</dt>
        <dd>
          <TagList tags={tags} />
        </dd>
      </dl>
      {editable && (
        <div className="toolbar">
          <button type="button" onClick={() => setEditing({ kind: 'add' })}>
            Add column
          </button>
          <button type="button" onClick={() => setEditing({ kind: 'metadata' })}>
            Edit comments and tags
          </button>
        </div>
      )}
      {/* Defaults come from the catalog: without it their column is left out, and the reason shown. */}
      {snapshot === undefined && catalogError ? <ErrorMessage error={catalogError} /> : null}
      <table aria-label="Columns" className="tables-list schema-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Nullable</th>
            {catalog && <th scope="col">Default</th>}
            <th scope="col">Comment</th>
            {editable && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" style={{ paddingLeft: `${10 + row.depth * 18}px` }} className="column-name">
                {row.depth > 0 && <span aria-hidden="true">↳ </span>}
                {row.name}
              </th>
              <td>
                <code>{row.type}</code>
              </td>
              <td>{row.nullable ? 'yes' : 'no'}</td>
              {catalog && <td>{row.default === null ? <span className="muted">—</span> : <code>{row.default}</code>}</td>}
              <td>{row.comment ?? <span className="muted">—</span>}</td>
              {editable && (
                <td className="row-actions">
                  {row.topLevel && (
                    <>
                      <button type="button" aria-label={`Rename column ${row.name}`} onClick={() => setEditing({ kind: 'rename', column: row.name })}>
                        Rename
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Drop column ${row.name}`}
                        onClick={() => setEditing({ kind: 'drop', column: row.name })}
                      >
                        Drop
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing?.kind === 'add' && <AddColumnDialog ns={ns} table={table} onClose={() => setEditing(null)} />}
      {editing?.kind === 'rename' && (
        <RenameColumnDialog ns={ns} table={table} column={editing.column} onClose={() => setEditing(null)} />
      )}
      {editing?.kind === 'drop' && <DropColumnDialog ns={ns} table={table} column={editing.column} onClose={() => setEditing(null)} />}
      {editing?.kind === 'metadata' && description && <MetadataEditor table={description} onClose={() => setEditing(null)} />}
    </div>
  )
}
