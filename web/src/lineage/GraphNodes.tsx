// How datasets and jobs look on the canvas. A dataset lists its fields, each with its own handles so
// column lineage can be drawn field to field; a job shows its latest run.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import type { MouseEvent } from 'react'
import type { FieldRole } from './columnLineage'
import { KIND_LABEL, visibleFields, type DatasetData, type JobData, type NodeKind } from './graphModel'
import { RunStateBadge } from './RunState'

export interface DatasetNodeData extends Record<string, unknown> {
  label: string
  kind: NodeKind
  fields: DatasetData['fields']
  /** Fields lit up by the selected field's column lineage. */
  roles: Map<string, FieldRole> | undefined
  centre: boolean
  onField(field: string): void
}

export interface JobNodeData extends Record<string, unknown> {
  label: string
  jobType: string | undefined
  latestRun: JobData['latestRun']
  centre: boolean
}

export type DatasetFlowNode = Node<DatasetNodeData, 'dataset'>
export type JobFlowNode = Node<JobNodeData, 'job'>

export const fieldHandle = (side: 'in' | 'out', field: string) => `${side}:${field}`

function DatasetNodeView({ data, selected }: NodeProps<DatasetFlowNode>) {
  const { fields, roles } = data
  const shown = visibleFields(fields, roles)
  const hidden = fields.length - shown.length
  return (
    <div className={`lineage-node dataset kind-${data.kind}${selected ? ' selected' : ''}${data.centre ? ' centre' : ''}`}>
      <Handle type="target" position={Position.Left} id="in" isConnectable={false} />
      <div className="lineage-node-head" title={data.label}>
        <span className="lineage-node-kind">{KIND_LABEL[data.kind]}</span>
        <span className="lineage-node-name">{data.label}</span>
      </div>
      {shown.length > 0 && (
        <ul className="lineage-node-fields">
          {shown.map((field) => {
            const role = roles?.get(field.name)
            return (
              <li key={field.name} className={role ? `field-${role}` : undefined}>
                <Handle type="target" position={Position.Left} id={fieldHandle('in', field.name)} isConnectable={false} />
                {/* Pointer shortcut only: the details panel lists the same fields as buttons for the keyboard. */}
                <button
                  type="button"
                  tabIndex={-1}
                  className="nodrag lineage-field"
                  title={`Column lineage of ${field.name}`}
                  onClick={(event: MouseEvent) => {
                    // The node would take the click as a selection of itself and drop the field.
                    event.stopPropagation()
                    data.onField(field.name)
                  }}
                >
                  <span className="lineage-field-name">{field.name}</span>
                  {field.type && <span className="lineage-field-type">{field.type}</span>}
                </button>
                <Handle type="source" position={Position.Right} id={fieldHandle('out', field.name)} isConnectable={false} />
              </li>
            )
          })}
          {hidden > 0 && <li className="lineage-node-more">{hidden} more</li>}
        </ul>
      )}
      <Handle type="source" position={Position.Right} id="out" isConnectable={false} />
    </div>
  )
}

function JobNodeView({ data, selected }: NodeProps<JobFlowNode>) {
  return (
    <div className={`lineage-node job${selected ? ' selected' : ''}${data.centre ? ' centre' : ''}`}>
      <Handle type="target" position={Position.Left} id="in" isConnectable={false} />
      <div className="lineage-node-head" title={data.label}>
        <span className="lineage-node-kind">{data.jobType ? `Job · ${data.jobType}` : 'Job'}</span>
        <span className="lineage-node-name">{data.label}</span>
      </div>
      {data.latestRun && (
        <div className="lineage-node-run">
          <RunStateBadge state={data.latestRun.state} />
        </div>
      )}
      <Handle type="source" position={Position.Right} id="out" isConnectable={false} />
    </div>
  )
}

export const nodeTypes = { dataset: DatasetNodeView, job: JobNodeView }
