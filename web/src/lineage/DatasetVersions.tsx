// A dataset's versions, newest first: one per completed run that wrote it, with that run.
import { Fragment } from 'react'
import { Link } from 'react-router'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatTime } from '../ui/format'
import { runError } from './facets'
import { jobNodeId, lineageHref } from './links'
import { useDatasetVersions } from './queries'
import { PagingFooter, RunErrorRow } from './Paging'
import { RunStateBadge } from './RunState'

export function DatasetVersions({ namespace, dataset, depth }: { namespace: string; dataset: string; depth: number }) {
  const versions = useDatasetVersions(namespace, dataset)
  if (versions.isPending) return <p role="status" className="muted">Loading versions…</p>
  if (!versions.data) return <ErrorMessage error={versions.error} />
  const all = versions.data.pages.flatMap((page) => page.versions)
  const total = versions.data.pages[0]?.totalCount ?? 0
  if (all.length === 0) return <p className="muted">No versions: no completed run has written it.</p>
  return (
    <>
      <div className="lineage-table-scroll">
        <table className="lineage-versions" aria-label="Versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Created</th>
              <th scope="col">By run of</th>
            </tr>
          </thead>
          <tbody>
            {all.map((version) => {
              const run = version.createdByRun
              const error = run && runError(run)
              return (
                <Fragment key={`${version.version}:${version.createdAt}`}>
                  <tr>
                    <td className="mono" title={version.version}>
                      {version.version}
                      {version.lifecycleState && <span className="muted"> {version.lifecycleState}</span>}
                    </td>
                    <td>{formatTime(version.createdAt)}</td>
                    <td>
                      {run ? (
                        <>
                          <RunStateBadge state={run.state} />{' '}
                          <Link to={lineageHref(jobNodeId(run.jobVersion.namespace, run.jobVersion.name), depth)}>
                            {run.jobVersion.name}
                          </Link>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                  <RunErrorRow error={error} columns={3} />
                </Fragment>
              )
            })}
          </tbody>
        </table>
      </div>
      <PagingFooter query={versions} shown={all.length} total={total} noun="versions" />
    </>
  )
}
