// The uploads of this browser tab: files wait in a queue and go up a few at a time. The queue
// outlives the page, so uploads keep going while the user browses elsewhere in the app; pages
// read it with useSyncExternalStore, and the frame of every page reads how many are running
// through ui/uploadActivity.
import { onSessionEnd } from '../auth/session'
import { uploadActivity } from '../ui/uploadActivity'
import { DEFAULT_SETTINGS, uploadObject, type UploadSettings } from './upload'

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled'

export interface UploadEntry {
  id: number
  volume: string
  key: string
  size: number
  sent: number
  status: UploadStatus
  error?: unknown
}

export interface UploadItem {
  file: Blob
  key: string
}

interface Job {
  file: Blob
  controller?: AbortController
  batch: Batch
}

/** The files added together: `onChange` runs when some of them have arrived (at most once a
 *  second, so a folder of many small files does not refetch a listing per file) and at the end. */
interface Batch {
  remaining: number
  onChange: () => void
  timer?: ReturnType<typeof setTimeout>
}

const CHANGE_INTERVAL_MS = 1000

// Leaving or reloading the tab would cut the uploads off, whichever page the user is on.
const warnBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault()

export class UploadQueue {
  private entries: UploadEntry[] = []
  private readonly jobs = new Map<number, Job>()
  private readonly listeners = new Set<() => void>()
  private nextId = 1
  private readonly settings: UploadSettings
  private readonly fileConcurrency: number
  private warning = false

  constructor(settings: UploadSettings = DEFAULT_SETTINGS, fileConcurrency = 3) {
    this.settings = settings
    this.fileConcurrency = fileConcurrency
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** The entries, oldest first; a new array after every change. */
  getSnapshot = () => this.entries

  /** Queues files for `volume`; `onChange` hears when some have been stored. */
  add(volume: string, items: UploadItem[], onChange: () => void = () => {}) {
    if (items.length === 0) return
    const batch: Batch = { remaining: items.length, onChange }
    const added = items.map((item) => {
      const id = this.nextId++
      this.jobs.set(id, { file: item.file, batch })
      return { id, volume, key: item.key, size: item.file.size, sent: 0, status: 'queued' as const }
    })
    this.entries = [...this.entries, ...added]
    this.emit()
    this.pump()
  }

  cancel(id: number) {
    const entry = this.entries.find((candidate) => candidate.id === id)
    const job = this.jobs.get(id)
    if (!entry || !job) return
    if (entry.status === 'uploading') job.controller?.abort()
    else if (entry.status === 'queued') this.finish(id, { status: 'cancelled' })
  }

  cancelAll() {
    for (const entry of this.entries) {
      if (entry.status === 'queued' || entry.status === 'uploading') this.cancel(entry.id)
    }
  }

  /** Sends a failed or cancelled file again. */
  retry(id: number) {
    const entry = this.entries.find((candidate) => candidate.id === id)
    const job = this.jobs.get(id)
    if (!entry || !job || (entry.status !== 'failed' && entry.status !== 'cancelled')) return
    job.batch.remaining++
    this.update(id, { status: 'queued', sent: 0, error: undefined })
    this.pump()
  }

  /** Forgets the files that are done, failed or cancelled. */
  clearFinished() {
    this.entries = this.entries.filter((entry) => {
      const active = entry.status === 'queued' || entry.status === 'uploading'
      if (!active) this.jobs.delete(entry.id)
      return active
    })
    this.emit()
  }

  private emit() {
    let running = 0
    for (const entry of this.entries) if (entry.status === 'queued' || entry.status === 'uploading') running++
    if (running > 0 && !this.warning) window.addEventListener('beforeunload', warnBeforeUnload)
    if (running === 0 && this.warning) window.removeEventListener('beforeunload', warnBeforeUnload)
    this.warning = running > 0
    uploadActivity.report(running)
    for (const listener of this.listeners) listener()
  }

  private update(id: number, patch: Partial<UploadEntry>) {
    this.entries = this.entries.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry))
    this.emit()
  }

  private finish(id: number, patch: Partial<UploadEntry>) {
    const job = this.jobs.get(id)
    this.update(id, patch)
    if (!job) return
    job.controller = undefined
    if (patch.status === 'done') job.file = new Blob() // the bytes are stored: let the file go
    const batch = job.batch
    batch.remaining--
    if (batch.remaining === 0) {
      clearTimeout(batch.timer)
      batch.timer = undefined
      batch.onChange()
    } else if (patch.status === 'done' && batch.timer === undefined) {
      batch.timer = setTimeout(() => {
        batch.timer = undefined
        batch.onChange()
      }, CHANGE_INTERVAL_MS)
    }
  }

  private pump() {
    let running = this.entries.filter((entry) => entry.status === 'uploading').length
    for (const entry of this.entries) {
      if (running >= this.fileConcurrency) break
      if (entry.status !== 'queued') continue
      running++
      void this.run(entry)
    }
  }

  private async run(entry: UploadEntry) {
    const job = this.jobs.get(entry.id)!
    const controller = new AbortController()
    job.controller = controller
    this.update(entry.id, { status: 'uploading', sent: 0 })
    try {
      await uploadObject(entry.volume, entry.key, job.file, {
        settings: this.settings,
        signal: controller.signal,
        onProgress: (sent) => this.update(entry.id, { sent }),
      })
      this.finish(entry.id, { status: 'done', sent: entry.size })
    } catch (error) {
      const cancelled = controller.signal.aborted
      this.finish(entry.id, cancelled ? { status: 'cancelled' } : { status: 'failed', error })
    }
    this.pump()
  }
}

/** The tab's one queue. */
export const uploadQueue = new UploadQueue()
// Files queued by one user must not go up with the next user's token.
onSessionEnd(() => {
  uploadQueue.cancelAll()
  uploadQueue.clearFinished()
})
