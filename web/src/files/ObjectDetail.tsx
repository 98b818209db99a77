// One object: what the index knows about it, a preview, its tags and user metadata, and what can
// be done with it.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api, data, type Schemas } from '../api/client'
import { useCapabilities } from '../auth/AuthProvider'
import { DataGrid } from '../ui/DataGrid'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount, formatTime } from '../ui/format'
import { duplicateName, KeyValueFields, toPairs, toRecord, type Pair } from './KeyValueFields'
import { baseName, folderUrl, looksTabular, objectApiPath, objectPathSerializer, parentPrefix } from './paths'
import { invalidateVolume } from '../api/queries'
import {
  useObjectDescription,
  useObjectPreview,
  type ObjectDescription,
  type StoredObject,
} from './queries'

interface Props {
  volume: string
  objectKey: string
  canWrite: boolean
  onClose(): void
  onDelete(object: StoredObject): void
  onMove(object: StoredObject): void
}

export function ObjectDetail({ volume, objectKey, canWrite, onClose, onDelete, onMove }: Props) {
  const description = useObjectDescription(volume, objectKey)
  const object = description.data
  // The editors start again from the server's values when the content is replaced (an upload
  // replaces content type and metadata), not after their own saves.
  const version = object ? `${object.key}:${object.etag}:${object.modified_at}` : ''

  return (
    <aside className="files-detail panel" aria-labelledby="files-detail-title">
      <div className="files-detail-head">
        <h2 id="files-detail-title" title={objectKey}>
          {baseName(objectKey)}
        </h2>
        <button type="button" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      <p className="mono files-key">{objectKey}</p>
      {description.isPending && <p role="status">Loading…</p>}
      {description.isError && <ErrorMessage error={description.error} />}
      {object && (
        <>
          <div className="toolbar">
            <DownloadButton volume={volume} objectKey={objectKey} />
            {canWrite && (
              <>
                <button type="button" onClick={() => onMove(object)}>
                  Move or rename
                </button>
                <button type="button" className="danger" onClick={() => onDelete(object)}>
                  Delete
                </button>
              </>
            )}
          </div>
          <div className="toolbar">
            {looksTabular(object.key, object.content_type) && (
              <Link to={`/tables?${new URLSearchParams({ ingest: '1', volume, key: object.key })}`}>Load into table</Link>
            )}
            <Link to={`/lineage?node=${encodeURIComponent(object.lineage.node_id)}`}>
              Lineage graph ({formatCount(object.lineage.upstream_jobs)} upstream,{' '}
              {formatCount(object.lineage.downstream_jobs)} downstream jobs)
            </Link>
          </div>
          <Facts object={object} />
          <h3>Preview</h3>
          <Preview volume={volume} objectKey={objectKey} />
          <PairsForm
            key={`tags:${version}`}
            volume={volume}
            object={object}
            field="tags"
            title="Tags"
            noun="tag"
            canWrite={canWrite}
          />
          <PairsForm
            key={`metadata:${version}`}
            volume={volume}
            object={object}
            field="metadata"
            title="Metadata"
            noun="metadata entry"
            canWrite={canWrite}
          />
        </>
      )}
    </aside>
  )
}

function Facts({ object }: { object: ObjectDescription }) {
  return (
    <dl className="files-facts">
      <dt>Size</dt>
      <dd>
        {formatBytes(object.size)} <span className="muted">({formatCount(object.size)} bytes)</span>
      </dd>
      <dt>Content type</dt>
      <dd className="mono">{object.content_type}</dd>
      <dt>ETag</dt>
      <dd className="mono">{object.etag}</dd>
      {object.sha256 && (
        <>
          <dt>SHA-256</dt>
          <dd className="mono">{object.sha256}</dd>
        </>
      )}
      <dt>Created</dt>
      <dd>{formatTime(object.created_at)}</dd>
      <dt>Modified</dt>
      <dd>{formatTime(object.modified_at)}</dd>
      <dt>Created by</dt>
      <dd>{object.created_by || <span className="muted">unknown (indexed from the store)</span>}</dd>
      <dt>Source</dt>
      <dd>
        <Source source={object.source} />
      </dd>
    </dl>
  )
}

function Source({ source }: { source: Schemas['ObjectSource'] | null }) {
  if (source === null) return <>Uploaded</>
  if ('copied_from' in source) {
    const from = source.copied_from
    return (
      <>
        Copied from{' '}
        <Link to={folderUrl(from.volume, parentPrefix(from.key), from.key)}>
          {from.volume}/{from.key}
        </Link>
      </>
    )
  }
  return (
    <>
      Query export, snapshot {source.snapshot_id}
      <pre className="files-sql">{source.sql}</pre>
    </>
  )
}

function Preview({ volume, objectKey }: { volume: string; objectKey: string }) {
  const preview = useObjectPreview(volume, objectKey)
  if (preview.isPending) return <p role="status">Loading the preview…</p>
  if (preview.isError) return <ErrorMessage error={preview.error} />
  const shown = preview.data
  const label = `Preview of ${baseName(objectKey)}`
  switch (shown.kind) {
    case 'table':
      return (
        <>
          <DataGrid columns={shown.columns} rows={shown.rows} label={label} height={260} />
          <p className="muted">The first {formatCount(shown.rows.length)} rows.</p>
        </>
      )
    case 'text':
      return (
        <>
          {shown.table_error && <p className="muted">Not readable as a table: {shown.table_error}</p>}
          <pre className="files-text" aria-label={label} tabIndex={0}>
            {shown.text}
          </pre>
          {shown.truncated && <p className="muted">The first KiB of the object.</p>}
        </>
      )
    case 'image':
      return (
        <>
          {shown.thumbnail ? (
            <img className="files-thumbnail" src={shown.thumbnail} alt={label} />
          ) : (
            <p className="muted">No thumbnail{shown.thumbnail_error ? `: ${shown.thumbnail_error}` : ' (the image is over 32 MiB)'}.</p>
          )}
          <p className="muted">
            {shown.format.toUpperCase()}, {formatCount(shown.width)} × {formatCount(shown.height)} pixels
          </p>
        </>
      )
    case 'binary':
      return (
        <>
          {shown.table_error && <p className="muted">Not readable as a table: {shown.table_error}</p>}
          <p className="muted">Binary content ({formatBytes(shown.size)}): no preview.</p>
        </>
      )
  }
}

/** With tokens a link cannot carry the Authorization header: a short-lived presigned URL can. */
function DownloadButton({ volume, objectKey }: { volume: string; objectKey: string }) {
  const capabilities = useCapabilities()
  const presign = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/api/v1/volumes/{vol}/presign', {
          params: { path: { vol: volume } },
          body: { key: objectKey, method: 'GET', expires_in: 300, download: true },
        }),
      ),
    onSuccess: ({ url }) => {
      // A DuckLake URL takes download=1 unsigned; an S3 URL has it signed in (and would break).
      const signedHere = new URL(url).searchParams.has('X-DuckLake-Signature')
      // Following a link to an attachment downloads it; the page stays.
      const link = document.createElement('a')
      link.href = signedHere ? `${url}&download=1` : url
      document.body.append(link)
      link.click()
      link.remove()
    },
  })
  if (!capabilities.authenticated) {
    return (
      <a className="files-button" href={`${objectApiPath(volume, objectKey)}?download=1`} download={baseName(objectKey)}>
        Download
      </a>
    )
  }
  return (
    <>
      <button type="button" disabled={presign.isPending} onClick={() => presign.mutate()}>
        Download
      </button>
      {presign.isError && <ErrorMessage error={presign.error} />}
    </>
  )
}

interface PairsFormProps {
  volume: string
  object: ObjectDescription
  field: 'tags' | 'metadata'
  title: string
  noun: string
  canWrite: boolean
}

/** Tags, or user metadata with the content type: shown, and edited by a writer. Saving replaces
 *  all entries (PATCH). */
function PairsForm({ volume, object, field, title, noun, canWrite }: PairsFormProps) {
  const queryClient = useQueryClient()
  const [pairs, setPairs] = useState<Pair[]>(() => toPairs(object[field]))
  const [contentType, setContentType] = useState(object.content_type)
  const duplicate = duplicateName(pairs)
  const save = useMutation({
    mutationFn: async () =>
      data(
        await api.PATCH('/api/v1/volumes/{vol}/objects/{key}', {
          params: { path: { vol: volume, key: object.key } },
          body:
            field === 'tags'
              ? { tags: toRecord(pairs) }
              : { metadata: toRecord(pairs), content_type: contentType.trim() },
          ...objectPathSerializer,
        }),
      ),
    onSuccess: () => invalidateVolume(queryClient, volume),
  })

  const headingId = `files-${field}-title`
  if (!canWrite) {
    const entries = Object.entries(object[field])
    return (
      <section aria-labelledby={headingId}>
        <h3 id={headingId}>{title}</h3>
        {entries.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <dl className="files-facts">
            {entries.map(([name, value]) => (
              <div key={name} className="files-fact">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
    )
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!duplicate) save.mutate()
  }
  return (
    <form className="files-form" aria-labelledby={headingId} onSubmit={submit}>
      <h3 id={headingId}>{title}</h3>
      {field === 'metadata' && (
        <label>
          Content type
          <input value={contentType} onChange={(event) => setContentType(event.target.value)} required />
        </label>
      )}
      <KeyValueFields noun={noun} pairs={pairs} onChange={setPairs} disabled={save.isPending} />
      {duplicate && (
        <p role="alert" className="error">
          The name “{duplicate}” is given twice.
        </p>
      )}
      {save.isError && <ErrorMessage error={save.error} />}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending || duplicate !== undefined}>
          {save.isPending ? 'Saving…' : `Save ${title.toLowerCase()}`}
        </button>
        {save.isSuccess && (
          <span role="status" className="muted">
            Saved.
          </span>
        )}
      </div>
    </form>
  )
}
