// Runs one statement at a time and streams its result into state the grid can show while it
// arrives. Rows land in one array that only grows (the grid's `version` says it grew); React hears
// about them on an animation frame, at most every FLUSH_INTERVAL_MS, however many chunks arrived.
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client'
import { streamQuery, type ResultColumn, type Row } from '../api/query'
import { formatCount } from '../ui/format'

/** The most rows the grid holds; rows past it are counted, not kept. */
export const MAX_GRID_ROWS = 200_000

/** How often, at most, arriving rows reach the screen: the first ones at once, then in batches,
 *  since each update re-sorts and re-measures a grid of up to MAX_GRID_ROWS rows. */
const FLUSH_INTERVAL_MS = 100

export interface RunRequest {
  sql: string
  /** Read the lake as of this snapshot; the latest when absent. */
  snapshot?: number
}

export type RunPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed'

export interface RunState {
  /** Counts the runs: a new one gets a fresh grid and chart. */
  runId: number
  phase: RunPhase
  request: RunRequest | null
  /** The snapshot the result was read at, as the server named it: `request.snapshot`, or the
   *  latest when the run started. Exports read this one, so they hold what the grid shows. */
  snapshot: number | null
  columns: ResultColumn[] | null
  /** The first MAX_GRID_ROWS rows, appended in place. */
  rows: Row[]
  /** Bumped whenever `rows` or the counters changed. */
  version: number
  /** Every row received, kept or not. */
  rowCount: number
  firstRowMs: number | null
  /** From sending the statement to its end, cancellation or failure. */
  elapsedMs: number | null
  /** The server's refusal (ApiError) or why the result stopped short. */
  error: unknown
  /** The result started but did not arrive whole. */
  cutOff: boolean
}

export type RunOutcome = Pick<RunState, 'request' | 'columns' | 'rows' | 'rowCount' | 'elapsedMs' | 'error'> & {
  phase: Exclude<RunPhase, 'idle' | 'running'>
  request: RunRequest
}

const IDLE: RunState = {
  runId: 0,
  phase: 'idle',
  request: null,
  snapshot: null,
  columns: null,
  rows: [],
  version: 0,
  rowCount: 0,
  firstRowMs: null,
  elapsedMs: null,
  error: null,
  cutOff: false,
}

export function useQueryRun() {
  const [state, setState] = useState<RunState>(IDLE)
  const current = useRef<AbortController | null>(null)
  const pendingAbort = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    clearTimeout(pendingAbort.current)
    // Leaving the page closes the connection, which stops the query on the server. Deferred a turn
    // because StrictMode unmounts and at once remounts in development: that must not cancel.
    return () => {
      pendingAbort.current = setTimeout(() => current.current?.abort(), 0)
    }
  }, [])

  const cancel = useCallback(() => current.current?.abort(), [])

  /** Resolves with how the run ended, or null when a newer run took its place. */
  const run = useCallback(async (request: RunRequest): Promise<RunOutcome | null> => {
    current.current?.abort()
    const controller = new AbortController()
    current.current = controller
    const started = performance.now()
    const rows: Row[] = []
    let columns: ResultColumn[] | null = null
    let rowCount = 0
    let firstRowMs: number | null = null
    let kept = 0 // rows the grid has been told about
    let frame = 0
    let lastFlush = -Infinity

    const publish = (changes: Partial<RunState>) => {
      // The grid re-sorts and re-measures when its version changes: only when rows were added.
      const grew = rows.length !== kept
      kept = rows.length
      setState((previous) => ({
        ...previous,
        columns,
        rowCount,
        firstRowMs,
        version: grew ? previous.version + 1 : previous.version,
        ...changes,
      }))
    }
    const tick = (now: number) => {
      if (now - lastFlush < FLUSH_INTERVAL_MS) {
        frame = requestAnimationFrame(tick)
        return
      }
      frame = 0
      lastFlush = now
      if (current.current === controller) publish({})
    }
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(tick)
    }

    setState((previous) => ({ ...IDLE, runId: previous.runId + 1, phase: 'running', request, rows, version: previous.version + 1 }))
    try {
      const summary = await streamQuery(
        { sql: request.sql, snapshot: request.snapshot },
        {
          onSnapshot(snapshot) {
            if (current.current === controller) setState((previous) => ({ ...previous, snapshot }))
          },
          onColumns(received) {
            columns = received
            schedule()
          },
          onRows(batch) {
            if (firstRowMs === null) firstRowMs = performance.now() - started
            rowCount += batch.length
            const keep = Math.min(batch.length, MAX_GRID_ROWS - rows.length)
            for (let i = 0; i < keep; i++) rows.push(batch[i])
            schedule()
          },
        },
        controller.signal,
      )
      cancelAnimationFrame(frame)
      if (current.current !== controller) return null
      current.current = null
      columns = summary.columns
      firstRowMs = summary.firstRowMs
      publish({ phase: 'done', elapsedMs: summary.totalMs })
      return { phase: 'done', request, columns, rows, rowCount, elapsedMs: summary.totalMs, error: null }
    } catch (caught) {
      cancelAnimationFrame(frame)
      if (current.current !== controller) return null
      current.current = null
      const elapsedMs = performance.now() - started
      if (controller.signal.aborted) {
        publish({ phase: 'cancelled', elapsedMs })
        return { phase: 'cancelled', request, columns, rows, rowCount, elapsedMs, error: null }
      }
      // A refusal comes as an ApiError before the first byte; anything after it means the stream
      // ended early (the server cut it off, or the connection broke).
      const cutOff = !(caught instanceof ApiError)
      const error = cutOff
        ? new Error(
            `The result was cut off after ${formatCount(rowCount)} ${rowCount === 1 ? 'row' : 'rows'}; ` +
              `the rows shown are only part of it. (${caught instanceof Error ? caught.message : String(caught)})`,
          )
        : caught
      publish({ phase: 'failed', elapsedMs, error, cutOff })
      return { phase: 'failed', request, columns, rows, rowCount, elapsedMs, error }
    }
  }, [])

  return { state, run, cancel }
}
