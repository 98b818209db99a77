// A job's runs, newest first: state, times, and why the failed ones failed.
import { Fragment } from 'react'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatDuration, formatTime } from '../ui/format'
import { runError } from './facets'
import { useJobRuns } from './queries'
import { PagingFooter, RunErrorRow } from './Paging'
import { RunStateBadge } from './RunState'

export function RunHistory({ namespace, job }: { namespace: string; job: string }) {
  const runs = useJobRuns(namespace, job)
  if (runs.isPending) return <p role="status" className="muted">Loading runs…</p>
  if (!runs.data) return <ErrorMessage error={runs.error} />
  const all = runs.data.pages.flatMap((page) => page.runs)
  const total = runs.data.pages[0]?.totalCount ?? 0
  if (all.length === 0) return <p className="muted">No runs recorded.</p>
  return (
    <>
      <div className="lineage-table-scroll">
        <table className="lineage-runs" aria-label="Run history">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {all.map((run) => {
              const error = runError(run)
              return (
                <Fragment key={run.id}>
                  <tr title={`Run ${run.id}`} className={error ? 'has-error' : undefined}>
                    <td>
                      <RunStateBadge state={run.state} />
                    </td>
                    <td>{formatTime(run.startedAt)}</td>
                    <td>{formatTime(run.endedAt)}</td>
                    <td>{run.durationMs === null ? '—' : formatDuration(run.durationMs)}</td>
                  </tr>
                  <RunErrorRow error={error} columns={4} />
                </Fragment>
              )
            })}
          </tbody>
        </table>
      </div>
      <PagingFooter query={runs} shown={all.length} total={total} noun="runs" />
    </>
  )
}
