// What the selected node is: a dataset's fields, page and versions, or a job's inputs, outputs,
// SQL and run history.
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { formatTime } from '../ui/format'
import { DatasetVersions } from './DatasetVersions'
import { jobSql, jobType } from './facets'
import {
  isDataset,
  isJob,
  kindOf,
  KIND_LABEL,
  nodeLabel,
  type DatasetNode,
  type JobNode,
  type LineageNode,
} from './graphModel'
import { datasetNodeId, fieldNodeId, lineageHref } from './links'
import { PageLink } from './PageLink'
import { RunHistory } from './RunHistory'
import { RunStateBadge } from './RunState'

interface DetailsPanelProps {
  node: LineageNode | undefined
  selectedId: string
  centreId: string
  depth: number
  fieldId: string | null
  byId: Map<string, LineageNode>
  onSelect(id: string): void
  onField(datasetId: string, fieldId: string | null): void
  /** The selected field's column lineage, shown under the fields. */
  columns: ReactNode
}

function CentreLink({ id, centreId, depth }: { id: string; centreId: string; depth: number }) {
  if (id === centreId) return <span className="muted">The graph is centred here.</span>
  return <Link to={lineageHref(id, depth)}>Centre the graph here</Link>
}

function DatasetDetails({ node, props }: { node: DatasetNode; props: DetailsPanelProps }) {
  const dataset = node.data
  return (
    <>
      <dl className="lineage-facts">
        <dt>Current version</dt>
        <dd className="mono">{dataset.currentVersion ?? '—'}</dd>
        <dt>Last change</dt>
        <dd>{dataset.lastLifecycleState ?? '—'}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(dataset.updatedAt)}</dd>
      </dl>
      <h3>Fields</h3>
      {dataset.fields.length === 0 ? (
        <p className="muted">No schema recorded.</p>
      ) : (
        <>
          <p className="muted">Pick a field to see its column lineage.</p>
          <ul className="lineage-fields" aria-label="Fields">
            {dataset.fields.map((field) => {
              const id = fieldNodeId(dataset.namespace, dataset.name, field.name)
              const pressed = id === props.fieldId
              return (
                <li key={field.name}>
                  <button type="button" aria-pressed={pressed} onClick={() => props.onField(node.id, pressed ? null : id)}>
                    {field.name}
                  </button>{' '}
                  {field.type && <span className="muted mono">{field.type}</span>}
                </li>
              )
            })}
          </ul>
        </>
      )}
      {props.columns}
      <h3>Versions</h3>
      <DatasetVersions namespace={dataset.namespace} dataset={dataset.name} depth={props.depth} />
    </>
  )
}

function JobDetails({ node, props }: { node: JobNode; props: DetailsPanelProps }) {
  const job = node.data
  const sql = jobSql(job)
  const datasets = (ids: JobNode['data']['inputs'], label: string) =>
    ids.length === 0 ? (
      <p className="muted">None.</p>
    ) : (
      <ul className="lineage-io" aria-label={label}>
        {ids.map(({ namespace, name }) => {
          const id = datasetNodeId(namespace, name)
          const known = props.byId.get(id)
          return (
            <li key={id}>
              {known ? (
                <button type="button" className="link-button" onClick={() => props.onSelect(id)} title={id}>
                  {nodeLabel(known)}
                </button>
              ) : (
                <Link to={lineageHref(id, props.depth)} title={id}>
                  {name}
                </Link>
              )}
            </li>
          )
        })}
      </ul>
    )
  return (
    <>
      <dl className="lineage-facts">
        <dt>Type</dt>
        <dd>{jobType(job) ?? '—'}</dd>
        <dt>Latest run</dt>
        <dd>{job.latestRun ? <RunStateBadge state={job.latestRun.state} /> : '—'}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(job.updatedAt)}</dd>
      </dl>
      <h3>Reads</h3>
      {datasets(job.inputs, 'Inputs')}
      <h3>Writes</h3>
      {datasets(job.outputs, 'Outputs')}
      {sql && (
        <details className="lineage-sql">
          <summary>SQL</summary>
          <pre>{sql}</pre>
        </details>
      )}
      <h3>Run history</h3>
      <RunHistory namespace={job.namespace} job={job.name} />
    </>
  )
}

export function DetailsPanel(props: DetailsPanelProps) {
  const { node, selectedId, centreId, depth } = props
  if (!node) {
    return (
      <aside className="lineage-details panel" aria-label="Details">
        <h2 className="lineage-details-title">{selectedId}</h2>
        <p className="muted">Not in this graph: centre the graph on it, or raise the depth.</p>
        <Link to={lineageHref(selectedId, depth)}>Centre the graph here</Link>
        {props.columns}
      </aside>
    )
  }
  const kind = kindOf(node)
  return (
    <aside className="lineage-details panel" aria-label="Details">
      <h2 className="lineage-details-title" title={node.id}>
        {nodeLabel(node)}
      </h2>
      <p className="muted">
        <span className={`badge kind-${kind}`}>{KIND_LABEL[kind]}</span> in <span className="mono">{node.data.namespace}</span>
      </p>
      <div className="toolbar">
        <CentreLink id={node.id} centreId={centreId} depth={depth} />
        {isDataset(node) && <PageLink dataset={node.data} nodeId={node.id} kind={kind} />}
      </div>
      {isDataset(node) && <DatasetDetails node={node} props={props} />}
      {isJob(node) && <JobDetails node={node} props={props} />}
    </aside>
  )
}
