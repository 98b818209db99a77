import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, data } from '../api/client'
import { invalidateVolumes, useVolume, useVolumes } from '../api/queries'
import { useCapabilities } from '../auth/AuthProvider'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount, formatTime } from '../ui/format'
import { Dialog } from '../ui/Dialog'
import { folderUrl } from './paths'
import type { Volume } from './queries'

/** /files: the volumes the caller may read, with what each holds. */
export function VolumeList() {
  const volumes = useVolumes()
  const capabilities = useCapabilities()
  const [creating, setCreating] = useState(false)

  return (
    <section className="files" aria-labelledby="files-title">
      <div className="files-header">
        <h1 id="files-title">Files</h1>
        {capabilities.lake('writer') && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New volume
          </button>
        )}
      </div>
      <p className="muted">Volumes hold files of any kind: CSV drops, images, model files, query exports.</p>
      {volumes.isPending && <p role="status">Loading volumes…</p>}
      {volumes.isError && <ErrorMessage error={volumes.error} />}
      {volumes.isSuccess && volumes.data.volumes.length === 0 && (
        <p>
          No volumes yet.
          {capabilities.lake('writer') ? ' Create one to upload files.' : ' Ask a DuckLake admin for access to one.'}
        </p>
      )}
      {volumes.isSuccess && volumes.data.volumes.length > 0 && (
        <table className="files-volumes" aria-label="Volumes">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col" className="numeric">
                Objects
              </th>
              <th scope="col" className="numeric">
                Size
              </th>
              <th scope="col">Owner</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {volumes.data.volumes.map((volume) => (
              <VolumeRow key={volume.name} volume={volume} />
            ))}
          </tbody>
        </table>
      )}
      {creating && <CreateVolumeDialog onClose={() => setCreating(false)} />}
    </section>
  )
}

function VolumeRow({ volume }: { volume: Volume }) {
  const info = useVolume(volume.name)
  const counted = (show: (value: NonNullable<typeof info.data>) => string) =>
    info.isSuccess ? show(info.data) : info.isError ? '—' : '…'
  return (
    <tr>
      <th scope="row">
        <Link to={folderUrl(volume.name)}>{volume.name}</Link>
      </th>
      <td>{volume.description || <span className="muted">—</span>}</td>
      <td className="numeric">{counted((value) => formatCount(value.object_count))}</td>
      <td className="numeric">{counted((value) => formatBytes(value.size_bytes))}</td>
      <td>{volume.owner}</td>
      <td>{formatTime(volume.created_at)}</td>
    </tr>
  )
}

const MiB = 1024 * 1024

function CreateVolumeDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [limitMiB, setLimitMiB] = useState('')

  const create = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/api/v1/volumes', {
          body: {
            name: name.trim(),
            description: description.trim() || undefined,
            max_object_bytes: limitMiB === '' ? undefined : Math.round(Number(limitMiB) * MiB),
          },
        }),
      ),
    onSuccess: (volume) => {
      invalidateVolumes(queryClient)
      onClose()
      navigate(folderUrl(volume.name))
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }

  return (
    <Dialog title="Create a volume" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Name
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            autoFocus
            maxLength={63}
            aria-describedby="volume-name-rule"
          />
        </label>
        <small id="volume-name-rule" className="muted">
          Lower-case letters, digits, '-', '_' and '.', starting with a letter or digit.
        </small>
        <label>
          Description
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <label>
          Largest object (MiB, empty for the server's limit)
          <input
            type="number"
            min={1}
            step="any"
            value={limitMiB}
            onChange={(event) => setLimitMiB(event.target.value)}
          />
        </label>
        {create.isError && <ErrorMessage error={create.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={create.isPending || name.trim() === ''}>
            {create.isPending ? 'Creating…' : 'Create volume'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
