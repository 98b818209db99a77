// The table's comment, its tags and its columns' comments, changed with one PATCH (one snapshot)
// that carries only what was edited.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, data, type Schemas } from '../api/client'
import { ErrorMessage } from '../ui/ErrorMessage'
import { Dialog } from '../ui/Dialog'
import { invalidateLake } from './queries'

type Table = Schemas['Table']
type Update = Schemas['UpdateTableRequest']

const orNull = (text: string) => (text.trim() === '' ? null : text)

/** A tag being edited; `id` keeps each row's inputs (and focus) in place as rows come and go. */
export interface TagDraft {
  id: number
  name: string
  value: string
}
let nextTagId = 0
const draft = (name: string, value: string): TagDraft => ({ id: nextTagId++, name, value })

/** The PATCH body for the edits, or why they cannot be saved. Unchanged fields stay out of it. */
export function metadataUpdate(
  table: Table,
  comment: string,
  tags: TagDraft[],
  columnComments: Record<string, string>,
): { update: Update } | { problem: string } {
  const update: Update = {}
  if (orNull(comment) !== table.comment) update.comment = orNull(comment)

  const names = tags.map((tag) => tag.name.trim())
  if (names.some((name) => name === '')) return { problem: 'Every tag needs a name.' }
  if (names.some((name) => name.toLowerCase() === 'comment')) return { problem: 'A tag cannot be named "comment"; use the comment field.' }
  if (new Set(names).size !== names.length) return { problem: 'Two tags have the same name.' }
  const newTags = Object.fromEntries(tags.map((tag) => [tag.name.trim(), tag.value]))
  const oldTags = table.tags
  const tagsChanged =
    Object.keys(newTags).length !== Object.keys(oldTags).length ||
    Object.entries(newTags).some(([name, value]) => oldTags[name] !== value)
  if (tagsChanged) update.tags = newTags

  const columns: NonNullable<Update['columns']> = {}
  for (const column of table.columns) {
    const edited = orNull(columnComments[column.name] ?? '')
    if (edited !== (column.comment ?? null)) columns[column.name] = { comment: edited }
  }
  if (Object.keys(columns).length > 0) update.columns = columns
  return { update }
}

export function MetadataEditor({ table, onClose }: { table: Table; onClose(): void }) {
  const [comment, setComment] = useState(table.comment ?? '')
  const [tags, setTags] = useState<TagDraft[]>(() => Object.entries(table.tags).map(([name, value]) => draft(name, value)))
  const [columnComments, setColumnComments] = useState<Record<string, string>>(() =>
    Object.fromEntries(table.columns.map((column) => [column.name, column.comment ?? ''])),
  )
  const [problem, setProblem] = useState<string | null>(null)
  const queryClient = useQueryClient()
  const save = useMutation({
    mutationFn: async (body: Update) =>
      data(
        await api.PATCH('/api/v1/namespaces/{ns}/tables/{table}', {
          params: { path: { ns: table.namespace, table: table.name } },
          body,
        }),
      ),
    onSuccess: async () => {
      await invalidateLake(queryClient)
      onClose()
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const result = metadataUpdate(table, comment, tags, columnComments)
    if ('problem' in result) {
      setProblem(result.problem)
      return
    }
    setProblem(null)
    if (Object.keys(result.update).length === 0) onClose()
    else save.mutate(result.update)
  }

  const setTag = (id: number, part: 'name' | 'value', text: string) =>
    setTags((previous) => previous.map((tag) => (tag.id === id ? { ...tag, [part]: text } : tag)))

  return (
    <Dialog title="Edit comments and tags" onClose={onClose} wide>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Table comment
          <textarea value={comment} onChange={(event) => setComment(event.target.value)} rows={2} />
        </label>
        <fieldset>
          <legend>Tags</legend>
          {tags.length === 0 && <p className="muted">No tags.</p>}
          {tags.map((tag, index) => (
            <div className="tag-row" key={tag.id}>
              <input aria-label={`Name of tag ${index + 1}`} value={tag.name} onChange={(event) => setTag(tag.id, 'name', event.target.value)} />
              <input aria-label={`Value of tag ${index + 1}`} value={tag.value} onChange={(event) => setTag(tag.id, 'value', event.target.value)} />
              <button type="button" onClick={() => setTags((previous) => previous.filter((other) => other.id !== tag.id))}>
                Remove tag {index + 1}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setTags((previous) => [...previous, draft('', '')])} disabled={tags.length >= 50}>
            Add tag
          </button>
        </fieldset>
        <fieldset>
          <legend>Column comments</legend>
          {table.columns.map((column) => (
            <label key={column.id} className="column-comment">
              <span>
                Comment on column <code>{column.name}</code>
              </span>
              <input
                value={columnComments[column.name] ?? ''}
                onChange={(event) => setColumnComments((previous) => ({ ...previous, [column.name]: event.target.value }))}
              />
            </label>
          ))}
        </fieldset>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        {save.isError && <ErrorMessage error={save.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
