// Runs out of the newest events of the lineage log: the events come newest first, so a run's first
// event here is its latest, and the run is over if any of its events here ends it.
import { eventRunError } from '../lineage/facets'
import type { RunState } from '../lineage/RunState'
import type { useRecentEvents } from './queries'

type Event = NonNullable<ReturnType<typeof useRecentEvents>['data']>['events'][number]

export interface RecentRun {
  runId: string
  namespace: string
  job: string
  state: RunState
  /** The time of its latest event. */
  time: string
  error: string | undefined
}

const ENDS: Partial<Record<NonNullable<Event['eventType']>, RunState>> = {
  COMPLETE: 'COMPLETED',
  FAIL: 'FAILED',
  ABORT: 'ABORTED',
}

export function recentRuns(events: Event[], limit: number): RecentRun[] {
  const runs = new Map<string, RecentRun>()
  for (const event of events) {
    // Dataset and job events belong to no run.
    if (!event.run || !event.job) continue
    let run = runs.get(event.run.runId)
    if (!run) {
      run = {
        runId: event.run.runId,
        namespace: event.job.namespace,
        job: event.job.name,
        state: 'RUNNING',
        time: event.eventTime,
        error: undefined,
      }
      runs.set(run.runId, run)
    }
    const end = event.eventType && ENDS[event.eventType]
    if (end && run.state === 'RUNNING') {
      run.state = end
      run.error = eventRunError(event)
    }
  }
  return [...runs.values()].slice(0, limit)
}
