// The latest snapshots and lineage runs. Both need reader on the whole lake; without it they say
// so instead of failing.
import { Link } from 'react-router'
import { useCapabilities } from '../auth/AuthProvider'
import { formatTime } from '../ui/format'
import { jobNodeId, lineageHref } from '../lineage/links'
import { RunStateBadge } from '../lineage/RunState'
import { RECENT_RUNS, useRecentEvents, useRecentSnapshots } from './queries'
import { recentRuns } from './recentRuns'
import { Refusal } from './Refusal'

const NEEDS_LAKE_READER = 'this needs the reader role on the whole lake'

export function RecentSnapshots() {
  const mayRead = useCapabilities().lake('reader')
  const snapshots = useRecentSnapshots(mayRead)
  return (
    <section aria-labelledby="home-snapshots">
      <h2 id="home-snapshots">Recent snapshots</h2>
      {!mayRead ? (
        <p className="muted">Not shown: {NEEDS_LAKE_READER}.</p>
      ) : snapshots.isPending ? (
        <p role="status" className="muted">Loading snapshots…</p>
      ) : snapshots.isError ? (
        <Refusal error={snapshots.error} needs={NEEDS_LAKE_READER} />
      ) : snapshots.data.snapshots.length === 0 ? (
        <p className="muted">No snapshots yet.</p>
      ) : (
        <table className="home-table" aria-label="Recent snapshots">
          <thead>
            <tr>
              <th scope="col">Snapshot</th>
              <th scope="col">Time</th>
              <th scope="col">Author</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {snapshots.data.snapshots.map((snapshot) => (
              <tr key={snapshot.snapshot_id}>
                <td className="numeric">{snapshot.snapshot_id}</td>
                <td className="home-time">{formatTime(snapshot.time)}</td>
                <td>{snapshot.author ?? '—'}</td>
                <td className="home-changes">
                  <span className="mono">{snapshot.changes}</span>
                  {snapshot.message && <span className="muted"> {snapshot.message}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function RecentRuns() {
  const mayRead = useCapabilities().lake('reader')
  const events = useRecentEvents(mayRead)
  const runs = events.data ? recentRuns(events.data.events, RECENT_RUNS) : []
  return (
    <section aria-labelledby="home-runs">
      <h2 id="home-runs">Recent runs</h2>
      {!mayRead ? (
        <p className="muted">Not shown: {NEEDS_LAKE_READER}.</p>
      ) : events.isPending ? (
        <p role="status" className="muted">Loading runs…</p>
      ) : events.isError ? (
        <Refusal error={events.error} needs={NEEDS_LAKE_READER} />
      ) : runs.length === 0 ? (
        <p className="muted">No runs yet: every job that moves data will show here.</p>
      ) : (
        <table className="home-table" aria-label="Recent runs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">State</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} title={`Run ${run.runId}`}>
                <td className="home-job">
                  <Link to={lineageHref(jobNodeId(run.namespace, run.job))}>{run.job}</Link>
                  {run.error && <div className="home-run-error">{run.error}</div>}
                </td>
                <td>
                  <RunStateBadge state={run.state} />
                </td>
                <td className="home-time">{formatTime(run.time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
