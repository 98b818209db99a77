// Confirming the changes that lose or move an object.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, data } from '../api/client'
import { invalidateVolume } from '../api/queries'
import { useWritableVolumes } from '../auth/writableVolumes'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes } from '../ui/format'
import { Dialog } from '../ui/Dialog'
import { NameSelect } from '../ui/NameSelect'
import { objectPathSerializer } from './paths'
import { objectKeys, type StoredObject } from './queries'

interface DeleteProps {
  volume: string
  object: StoredObject
  onClose(): void
  onDeleted(key: string): void
}

export function DeleteObjectDialog({ volume, object, onClose, onDeleted }: DeleteProps) {
  const queryClient = useQueryClient()
  const remove = useMutation({
    mutationFn: async () =>
      data(
        await api.DELETE('/api/v1/volumes/{vol}/objects/{key}', {
          params: { path: { vol: volume, key: object.key } },
          ...objectPathSerializer,
        }),
      ),
    onSuccess: () => {
      // Gone: asking for it again would only answer 404.
      queryClient.removeQueries({ queryKey: objectKeys.object(volume, object.key) })
      queryClient.removeQueries({ queryKey: objectKeys.preview(volume, object.key) })
      invalidateVolume(queryClient, volume)
      onDeleted(object.key)
    },
  })
  return (
    <Dialog title="Delete object" onClose={onClose}>
      <p>
        Delete <code>{volume}/{object.key}</code> ({formatBytes(object.size)})? This cannot be undone.
      </p>
      {remove.isError && <ErrorMessage error={remove.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
          {remove.isPending ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </Dialog>
  )
}

interface MoveProps {
  volume: string
  object: StoredObject
  onClose(): void
  onMoved(volume: string, key: string): void
}

/** Renames the key, or moves the object to another volume the caller may write. */
export function MoveObjectDialog({ volume, object, onClose, onMoved }: MoveProps) {
  const queryClient = useQueryClient()
  const writable = useWritableVolumes()
  const [key, setKey] = useState(object.key)
  const [target, setTarget] = useState(volume)
  const targets = writable.includes(volume) ? writable : [volume, ...writable]
  const unchanged = key.trim() === object.key && target === volume

  const move = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/api/v1/volumes/{vol}/objects/{key}', {
          params: {
            path: { vol: volume, key: object.key },
            query: { move_to: key.trim(), to_volume: target === volume ? undefined : target },
          },
          ...objectPathSerializer,
        }),
      ),
    onSuccess: (moved) => {
      queryClient.removeQueries({ queryKey: objectKeys.object(volume, object.key) })
      queryClient.removeQueries({ queryKey: objectKeys.preview(volume, object.key) })
      invalidateVolume(queryClient, volume)
      if (target !== volume) invalidateVolume(queryClient, target)
      onMoved(target, moved.key)
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!unchanged) move.mutate()
  }

  return (
    <Dialog title="Move or rename" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <p>
          Moves <code>{volume}/{object.key}</code>. An object already at the new key is replaced.
        </p>
        <label>
          New key
          <input value={key} onChange={(event) => setKey(event.target.value)} required autoFocus />
        </label>
        {targets.length > 1 && (
          <label>
            Volume
            <NameSelect names={targets} value={target} onChange={setTarget} />
          </label>
        )}
        {move.isError && <ErrorMessage error={move.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={move.isPending || unchanged || key.trim() === ''}>
            {move.isPending ? 'Moving…' : 'Move'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
