// Changing and deleting a volume (admin), and starting a folder (writer).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, data } from '../api/client'
import { invalidateVolume, invalidateVolumes, lakeKeys } from '../api/queries'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount } from '../ui/format'
import { Dialog } from '../ui/Dialog'
import { duplicateName, KeyValueFields, toPairs, toRecord, type Pair } from './KeyValueFields'
import type { VolumeDescription } from './queries'

const MiB = 1024 * 1024

interface SettingsProps {
  volume: VolumeDescription
  onClose(): void
  onDelete(): void
}

export function VolumeSettingsDialog({ volume, onClose, onDelete }: SettingsProps) {
  const queryClient = useQueryClient()
  const [description, setDescription] = useState(volume.description)
  const [owner, setOwner] = useState(volume.owner)
  const [tags, setTags] = useState<Pair[]>(() => toPairs(volume.tags))
  const [limitMiB, setLimitMiB] = useState(volume.max_object_bytes === null ? '' : String(volume.max_object_bytes / MiB))
  const duplicate = duplicateName(tags)

  const save = useMutation({
    mutationFn: async () =>
      data(
        await api.PATCH('/api/v1/volumes/{vol}', {
          params: { path: { vol: volume.name } },
          body: {
            description,
            owner,
            tags: toRecord(tags),
            max_object_bytes: limitMiB === '' ? null : Math.round(Number(limitMiB) * MiB),
          },
        }),
      ),
    onSuccess: () => {
      invalidateVolume(queryClient, volume.name)
      onClose()
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!duplicate) save.mutate()
  }

  return (
    <Dialog title={`Settings of ${volume.name}`} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Description
          <input value={description} onChange={(event) => setDescription(event.target.value)} autoFocus />
        </label>
        <label>
          Owner
          <input value={owner} onChange={(event) => setOwner(event.target.value)} />
        </label>
        <label>
          Largest object (MiB, empty for the server's limit)
          <input type="number" min={0} step="any" value={limitMiB} onChange={(event) => setLimitMiB(event.target.value)} />
        </label>
        <fieldset>
          <legend>Tags</legend>
          <KeyValueFields noun="tag" pairs={tags} onChange={setTags} disabled={save.isPending} />
        </fieldset>
        {duplicate && (
          <p role="alert" className="error">
            The tag “{duplicate}” is given twice.
          </p>
        )}
        {save.isError && <ErrorMessage error={save.error} />}
        <div className="dialog-actions">
          <button type="button" className="danger files-push-left" onClick={onDelete}>
            Delete volume…
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending || duplicate !== undefined}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

interface DeleteProps {
  volume: VolumeDescription
  onClose(): void
  onDeleted(): void
}

export function DeleteVolumeDialog({ volume, onClose, onDeleted }: DeleteProps) {
  const queryClient = useQueryClient()
  const holds = volume.object_count > 0 || volume.open_uploads > 0
  const [force, setForce] = useState(false)
  const remove = useMutation({
    mutationFn: async () =>
      data(
        await api.DELETE('/api/v1/volumes/{vol}', {
          params: { path: { vol: volume.name }, query: force ? { force: 'true' } : undefined },
        }),
      ),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: lakeKeys.volume(volume.name) })
      invalidateVolumes(queryClient)
      onDeleted()
    },
  })
  return (
    <Dialog title={`Delete volume ${volume.name}`} onClose={onClose}>
      <p>The volume and every grant on it go. This cannot be undone.</p>
      {holds && (
        <label className="files-check">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
          Also delete its {formatCount(volume.object_count)} objects
          {volume.open_uploads > 0 ? ` and ${formatCount(volume.open_uploads)} unfinished uploads` : ''}
        </label>
      )}
      {remove.isError && <ErrorMessage error={remove.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending || (holds && !force)}
          onClick={() => remove.mutate()}
        >
          {remove.isPending ? 'Deleting…' : 'Delete volume'}
        </button>
      </div>
    </Dialog>
  )
}

/** Folders exist through the keys under them: a new one is a place to upload into. */
export function NewFolderDialog({ onClose, onCreate }: { onClose(): void; onCreate(name: string): void }) {
  const [name, setName] = useState('')
  const cleaned = name.trim().replace(/^\/+|\/+$/g, '')
  const invalid = cleaned.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!invalid) onCreate(cleaned)
  }
  return (
    <Dialog title="New folder" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Folder name
          <input value={name} onChange={(event) => setName(event.target.value)} required autoFocus />
        </label>
        <small className="muted">The folder appears for others once a file is uploaded into it.</small>
        {name.trim() !== '' && invalid && (
          <p role="alert" className="error">
            A folder name has no empty, “.” or “..” parts.
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={invalid}>
            Open folder
          </button>
        </div>
      </form>
    </Dialog>
  )
}
