// Saving a result into the lake: the server runs the statement again and writes the result to a
// volume object as it is produced (the query route's `export`), so a result of any size can be
// kept, in any browser, with lineage from the tables it read to the object. The object's page
// then downloads it as a browser downloads any file, straight to disk.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { api, data, type Schemas } from '../api/client'
import type { ExportFormat } from '../api/query'
import { invalidateVolume } from '../api/queries'
import { Dialog } from '../ui/Dialog'
import { ErrorMessage } from '../ui/ErrorMessage'
import { NameSelect } from '../ui/NameSelect'
import { exportFilename } from './export'
import type { RunRequest } from './useQueryRun'

export type SavedResult = Schemas['ExportedObject']

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'parquet', label: 'Parquet' },
  { format: 'csv', label: 'CSV' },
]

/** A key's file extension follows the format, unless the user gave it another one. */
function withExtension(key: string, from: ExportFormat, to: ExportFormat): string {
  return key.endsWith(`.${from}`) ? `${key.slice(0, -from.length)}${to}` : key
}

export function SaveToVolumeDialog({
  request,
  volumes,
  onSaved,
  onClose,
}: {
  request: RunRequest
  /** Those the caller may write; at least one. */
  volumes: string[]
  onSaved(saved: SavedResult): void
  onClose(): void
}) {
  const queryClient = useQueryClient()
  const [volume, setVolume] = useState(volumes[0])
  const [format, setFormat] = useState<ExportFormat>('parquet')
  const [key, setKey] = useState(() => `exports/${exportFilename('parquet')}`)
  const controller = useRef<AbortController | null>(null)
  const [stopped, setStopped] = useState(false)

  // Closing the dialog stops a save under way: the server then stores nothing.
  useEffect(() => () => controller.current?.abort(), [])

  const save = useMutation({
    mutationFn: async () => {
      const own = new AbortController()
      controller.current = own
      try {
        return data(
          await api.POST('/api/v1/query', {
            body: { sql: request.sql, snapshot: request.snapshot, format, export: { volume, key: key.trim() } },
            signal: own.signal,
          }),
        ) as SavedResult
      } finally {
        controller.current = null
      }
    },
    onSuccess: (saved) => {
      invalidateVolume(queryClient, saved.volume)
      onSaved(saved)
    },
  })
  const stop = () => {
    setStopped(true)
    controller.current?.abort()
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (key.trim() === '' || save.isPending) return
    setStopped(false)
    save.mutate()
  }
  const chooseFormat = (next: ExportFormat) => {
    setKey((current) => withExtension(current, format, next))
    setFormat(next)
  }

  return (
    <Dialog title="Save the result to a volume" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <p>
          The statement runs again and its whole result is written to the object as it is produced, at the{' '}
          {request.snapshot === undefined ? 'latest snapshot' : `snapshot ${request.snapshot}`}. An object already at
          the key is replaced.
        </p>
        <label>
          Volume
          <NameSelect names={volumes} value={volume} onChange={setVolume} disabled={save.isPending} />
        </label>
        <label>
          Key
          <input value={key} onChange={(event) => setKey(event.target.value)} disabled={save.isPending} required autoFocus />
        </label>
        <fieldset disabled={save.isPending}>
          <legend>Format</legend>
          <div className="radio-row">
            {FORMATS.map((option) => (
              <label key={option.format} className="checkbox">
                <input
                  type="radio"
                  name="format"
                  checked={format === option.format}
                  onChange={() => chooseFormat(option.format)}
                />
                {option.label}
              </label>
            ))}
          </div>
        </fieldset>
        {save.isError && stopped ? (
          <p role="status">Cancelled: nothing was saved.</p>
        ) : (
          save.isError && <ErrorMessage error={save.error} />
        )}
        <div className="dialog-actions">
          {save.isPending ? (
            <button type="button" onClick={stop}>
              Stop saving
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary" disabled={save.isPending || key.trim() === ''}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
