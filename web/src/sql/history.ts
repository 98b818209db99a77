// The statements this browser ran, newest first, kept in localStorage so they outlive the tab.
// Every tab of the app sees the same list: a change in one reaches the others by the storage event.
import { useSyncExternalStore } from 'react'
import { onSessionEnd, SESSION_KEY_PREFIX } from '../auth/session'
import { withStorage } from '../ui/storage'

// Statements carry their literals: they go with the session that ran them (a server without
// tokens has no sessions, and keeps the history until it is cleared).
export const HISTORY_KEY = `${SESSION_KEY_PREFIX}sql.history`
/** The editor's text, kept for the tab. */
export const DRAFT_KEY = `${SESSION_KEY_PREFIX}sql.draft`
export const HISTORY_LIMIT = 100

export interface HistoryEntry {
  id: string
  sql: string
  /** The snapshot the statement read at, when one was given. */
  snapshot: number | null
  /** When it ran (ISO time). */
  at: string
  durationMs: number
  outcome: 'done' | 'cancelled' | 'failed'
  rowCount: number
  /** What went wrong, for a failed statement. */
  error: string | null
}

const listeners = new Set<() => void>()
let cachedRaw: string | null = null
let cachedEntries: HistoryEntry[] = []

function isEntry(value: unknown): value is HistoryEntry {
  const entry = value as Partial<HistoryEntry> | null
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    typeof entry.sql === 'string' &&
    typeof entry.at === 'string' &&
    typeof entry.durationMs === 'number' &&
    typeof entry.rowCount === 'number' &&
    (entry.outcome === 'done' || entry.outcome === 'cancelled' || entry.outcome === 'failed')
  )
}

/** The stored list; an unreadable one (edited by hand, another version of the app) reads as empty. */
export function readHistory(): HistoryEntry[] {
  const raw = withStorage(() => localStorage.getItem(HISTORY_KEY), null)
  if (raw === cachedRaw) return cachedEntries
  let entries: HistoryEntry[] = []
  try {
    const parsed: unknown = raw === null ? [] : JSON.parse(raw)
    if (Array.isArray(parsed)) entries = parsed.filter(isEntry).map((entry) => ({ ...entry, snapshot: entry.snapshot ?? null, error: entry.error ?? null }))
  } catch {
    entries = []
  }
  cachedRaw = raw
  cachedEntries = entries
  return entries
}

function write(entries: HistoryEntry[]) {
  // A full storage drops the oldest statements until the list fits; history is worth less than
  // whatever else the origin keeps there.
  for (let keep = entries.length; keep >= 0; keep = keep > 1 ? Math.floor(keep / 2) : keep - 1) {
    try {
      if (keep === 0) localStorage.removeItem(HISTORY_KEY)
      else localStorage.setItem(HISTORY_KEY, JSON.stringify(entries.slice(0, keep)))
      break
    } catch {
      // QuotaExceededError: try with fewer
    }
  }
  listeners.forEach((listener) => listener())
}

export function addHistory(entry: Omit<HistoryEntry, 'id'>) {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  write([{ id, ...entry }, ...readHistory()].slice(0, HISTORY_LIMIT))
}

export function clearHistory() {
  write([])
}

function subscribe(listener: () => void) {
  const onStorage = (event: StorageEvent) => {
    if (event.key === HISTORY_KEY || event.key === null) listener()
  }
  listeners.add(listener)
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

export function useHistory(): HistoryEntry[] {
  return useSyncExternalStore(subscribe, readHistory)
}

// endSession removed the stored list; the pages showing it must hear of it.
onSessionEnd(() => listeners.forEach((listener) => listener()))
