// Handing files to the upload queue (pickers, drag and drop) and watching them go up.
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useId, useRef, useState, useSyncExternalStore, type DragEvent, type ReactNode } from 'react'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatBytes, formatCount } from '../ui/format'
import { filesFromDrop, filesFromInput, type PickedFile } from './picked'
import { uploadQueue, type UploadEntry } from './uploadQueue'

/** The two pickers: files, and a whole folder (its layout kept as keys). */
export function UploadButtons({ onFiles }: { onFiles(files: PickedFile[]): void }) {
  return (
    <>
      <label className="files-picker">
        Upload files
        <input
          type="file"
          multiple
          className="visually-hidden"
          onChange={(event) => {
            onFiles(filesFromInput(event.target.files))
            event.target.value = ''
          }}
        />
      </label>
      <label className="files-picker">
        Upload folder
        <input
          type="file"
          multiple
          className="visually-hidden"
          // Not in React's types: the folder picker of every current browser.
          ref={(input) => input?.setAttribute('webkitdirectory', '')}
          onChange={(event) => {
            onFiles(filesFromInput(event.target.files))
            event.target.value = ''
          }}
        />
      </label>
    </>
  )
}

/** Takes files and folders dropped on it, when `enabled`. */
export function DropZone({
  enabled,
  target,
  onFiles,
  children,
}: {
  enabled: boolean
  /** Where dropped files go, as the user reads it: "raw/2026/11/". */
  target: string
  onFiles(files: PickedFile[]): void
  children: ReactNode
}) {
  const [over, setOver] = useState(false)
  const [dropError, setDropError] = useState<unknown>(null)
  // dragenter and dragleave fire for every child crossed: count them to know when the drag left.
  const depth = useRef(0)
  const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files')

  if (!enabled) return <div className="files-drop">{children}</div>
  return (
    <div
      className={`files-drop${over ? ' over' : ''}`}
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        depth.current++
        setOver(true)
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setOver(false)
      }}
      onDrop={(event) => {
        event.preventDefault()
        depth.current = 0
        setOver(false)
        setDropError(null)
        filesFromDrop(event.dataTransfer).then(onFiles, (error: unknown) =>
          setDropError(
            new Error(
              `What was dropped could not be read, so nothing was uploaded (${error instanceof Error ? error.message : String(error)}).`,
              { cause: error },
            ),
          ),
        )
      }}
    >
      {dropError !== null && <ErrorMessage error={dropError} />}
      {children}
      {over && (
        <div className="files-drop-hint" aria-hidden="true">
          Drop files or folders to upload them to {target}
        </div>
      )}
    </div>
  )
}

const active = (entry: UploadEntry) => entry.status === 'queued' || entry.status === 'uploading'

/** Every upload of this tab, with progress, cancel and retry. */
export function UploadPanel() {
  const entries = useSyncExternalStore(uploadQueue.subscribe, uploadQueue.getSnapshot)
  const [collapsed, setCollapsed] = useState(false)
  const titleId = useId()
  const listRef = useRef<HTMLDivElement>(null)
  const running = entries.some(active)

  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => 52,
    overscan: 8,
    initialRect: { width: 400, height: 300 },
  })

  if (entries.length === 0) return null

  let done = 0
  let failed = 0
  let sent = 0
  let total = 0
  for (const entry of entries) {
    if (entry.status === 'done') done++
    if (entry.status === 'failed') failed++
    if (entry.status !== 'cancelled') {
      sent += entry.sent
      total += entry.size
    }
  }

  return (
    <section className="files-uploads" aria-labelledby={titleId}>
      <div className="files-uploads-head">
        <h2 id={titleId}>Uploads</h2>
        {/* Announced: how many files are through. The bytes change with every progress event, so they
            stay out of the live region, where a screen reader would read each of them out. */}
        <span role="status" className="muted">
          {formatCount(done)} of {formatCount(entries.length)} uploaded
          {failed > 0 ? `, ${formatCount(failed)} failed` : ''}
        </span>
        {running && (
          <span className="muted">
            {formatBytes(sent)} of {formatBytes(total)}
          </span>
        )}
        <button type="button" aria-expanded={!collapsed} onClick={() => setCollapsed(!collapsed)}>
          {collapsed ? 'Show' : 'Hide'}
        </button>
      </div>
      {running && (
        <progress className="files-uploads-total" aria-label="All uploads" value={sent} max={Math.max(total, 1)} />
      )}
      {!collapsed && (
        <>
          <div className="toolbar">
            {running && (
              <button type="button" onClick={() => uploadQueue.cancelAll()}>
                Cancel all uploads
              </button>
            )}
            {entries.some((entry) => !active(entry)) && (
              <button type="button" onClick={() => uploadQueue.clearFinished()}>
                Clear finished
              </button>
            )}
          </div>
          <div ref={listRef} className="files-uploads-list" role="list" aria-label="Files being uploaded" style={{ height: Math.min(300, Math.max(52, virtualizer.getTotalSize())), overflow: 'auto' }}>
            <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => (
                <div
                  key={entries[item.index].id}
                  role="listitem"
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="files-upload"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <UploadRow entry={entries[item.index]} />
                </div>
              ))}
            </div>
          </div>
        </>
      )}
    </section>
  )
}

const STATUS_TEXT: Record<UploadEntry['status'], string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  done: 'Uploaded',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

// Memo: a progress event changes one entry, and only its row should render again.
const UploadRow = memo(function UploadRow({ entry }: { entry: UploadEntry }) {
  const name = `${entry.volume}/${entry.key}`
  return (
    <>
      <div className="files-upload-line">
        <span className="files-upload-name" title={name}>
          {name}
        </span>
        <span className={`badge ${entry.status === 'done' ? 'ok' : entry.status === 'failed' ? 'fail' : ''}`}>
          {STATUS_TEXT[entry.status]}
        </span>
        {active(entry) && (
          <button type="button" aria-label={`Cancel upload of ${entry.key}`} onClick={() => uploadQueue.cancel(entry.id)}>
            Cancel
          </button>
        )}
        {(entry.status === 'failed' || entry.status === 'cancelled') && (
          <button type="button" aria-label={`Retry upload of ${entry.key}`} onClick={() => uploadQueue.retry(entry.id)}>
            Retry
          </button>
        )}
      </div>
      <div className="files-upload-line">
        <progress aria-label={`Upload of ${entry.key}`} value={entry.sent} max={Math.max(entry.size, 1)} />
        <span className="muted">
          {formatBytes(entry.sent)} of {formatBytes(entry.size)}
        </span>
      </div>
      {entry.status === 'failed' && <ErrorMessage error={entry.error} />}
    </>
  )
})
