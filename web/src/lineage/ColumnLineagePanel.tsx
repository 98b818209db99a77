// The selected field's column lineage as text: every flow into it and out of it, with how the
// values were transformed. Each field is a button that follows the lineage on from there.
import type { UseQueryResult } from '@tanstack/react-query'
import { ErrorMessage } from '../ui/ErrorMessage'
import { describeTransformations, type ColumnFlows, type FieldFlow, type FieldRef } from './columnLineage'
import type { ColumnGraphData } from './queries'

interface ColumnLineagePanelProps {
  field: FieldRef | undefined
  fieldId: string
  query: UseQueryResult<ColumnGraphData>
  flows: ColumnFlows
  onField(datasetId: string, fieldId: string): void
  onClose(): void
}

interface FlowListProps {
  flows: FieldFlow[]
  label: string
  onField(datasetId: string, fieldId: string): void
}

function FlowList({ flows, label, onField }: FlowListProps) {
  if (flows.length === 0) return <p className="muted">None recorded.</p>
  const fieldButton = (ref: FieldRef) => (
    <button type="button" className="link-button" onClick={() => onField(ref.datasetId, ref.id)} title={ref.id}>
      {ref.dataset}.{ref.field}
    </button>
  )
  return (
    <ul className="lineage-flows" aria-label={label}>
      {flows.map((flow) => (
        <li key={`${flow.from.id}->${flow.to.id}`}>
          {fieldButton(flow.from)} <span aria-hidden="true">→</span>
          <span className="visually-hidden">flows into</span> {fieldButton(flow.to)}
          <span className="lineage-transformation">{describeTransformations(flow.transformations)}</span>
        </li>
      ))}
    </ul>
  )
}

export function ColumnLineagePanel({ field, fieldId, query, flows, onField, onClose }: ColumnLineagePanelProps) {
  const name = field ? `${field.dataset}.${field.field}` : fieldId
  return (
    <section className="lineage-columns" aria-label={`Column lineage of ${name}`}>
      <div className="lineage-columns-head">
        <h3>Column lineage of {name}</h3>
        <button type="button" onClick={onClose} aria-label="Close the column lineage">
          ×
        </button>
      </div>
      {query.isPending ? (
        <p role="status" className="muted">Loading column lineage…</p>
      ) : query.isError ? (
        <ErrorMessage error={query.error} />
      ) : (
        <>
          <h4>Derives from</h4>
          <FlowList flows={flows.upstream} label="Upstream column flows" onField={onField} />
          <h4>Feeds</h4>
          <FlowList flows={flows.downstream} label="Downstream column flows" onField={onField} />
        </>
      )}
    </section>
  )
}
