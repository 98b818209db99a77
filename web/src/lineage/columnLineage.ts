// Field-to-field flows out of a column-lineage answer. The answer lists each field with edges seen
// from that field (`origin` is always the field itself), so the direction of the data is worked out
// here: an in-edge points at a field it derives from, an out-edge at one derived from it.
import { datasetNodeId } from './links'
import type { ColumnGraphData } from './queries'

type ColumnNode = ColumnGraphData['graph'][number]
export type Transformation = ColumnNode['data']['inputFields'][number]['transformations'][number]

export interface FieldRef {
  id: string
  /** The dataset's node id in the lineage graph. */
  datasetId: string
  namespace: string
  dataset: string
  field: string
}

export interface FieldFlow {
  from: FieldRef
  to: FieldRef
  transformations: Transformation[]
}

export interface ColumnFlows {
  upstream: FieldFlow[]
  downstream: FieldFlow[]
}

export type FieldRole = 'selected' | 'upstream' | 'downstream'

export function fieldRef(node: ColumnNode): FieldRef {
  const { namespace, dataset, field } = node.data
  return { id: node.id, datasetId: datasetNodeId(namespace, dataset), namespace, dataset, field }
}

function transformationsInto(derived: ColumnNode, input: FieldRef): Transformation[] {
  const entry = derived.data.inputFields.find(
    (candidate) =>
      candidate.namespace === input.namespace && candidate.dataset === input.dataset && candidate.field === input.field,
  )
  return entry?.transformations ?? []
}

/** Every flow upstream of the start field (what it derives from, transitively) and downstream of it. */
export function columnFlows(graph: ColumnNode[], startId: string): ColumnFlows {
  const byId = new Map(graph.map((node) => [node.id, node]))
  const walk = (direction: 'upstream' | 'downstream'): FieldFlow[] => {
    const flows: FieldFlow[] = []
    const seen = new Set([startId])
    const queue = [startId]
    while (queue.length > 0) {
      const node = byId.get(queue.shift()!)
      if (!node) continue
      for (const edge of direction === 'upstream' ? node.inEdges : node.outEdges) {
        const other = byId.get(edge.destination)
        if (!other) continue
        flows.push(
          direction === 'upstream'
            ? { from: fieldRef(other), to: fieldRef(node), transformations: transformationsInto(node, fieldRef(other)) }
            : { from: fieldRef(node), to: fieldRef(other), transformations: transformationsInto(other, fieldRef(node)) },
        )
        if (!seen.has(other.id)) {
          seen.add(other.id)
          queue.push(other.id)
        }
      }
    }
    return flows
  }
  return { upstream: walk('upstream'), downstream: walk('downstream') }
}

/** Per dataset node, the role each of its highlighted fields plays. */
export function fieldRoles(flows: ColumnFlows, start: FieldRef): Map<string, Map<string, FieldRole>> {
  const roles = new Map<string, Map<string, FieldRole>>()
  const mark = (ref: FieldRef, role: FieldRole) => {
    const fields = roles.get(ref.datasetId) ?? new Map<string, FieldRole>()
    if (!fields.has(ref.field)) fields.set(ref.field, role)
    roles.set(ref.datasetId, fields)
  }
  mark(start, 'selected')
  for (const flow of flows.upstream) mark(flow.from, 'upstream')
  for (const flow of flows.downstream) mark(flow.to, 'downstream')
  return roles
}

/** "DIRECT · AGGREGATION, masked": how a value came through. */
export function describeTransformations(transformations: Transformation[]): string {
  if (transformations.length === 0) return 'no transformation recorded'
  return transformations
    .map(
      (t) =>
        [t.type, t.subtype].filter(Boolean).join(' · ') +
        (t.masking ? ', masked' : '') +
        (t.description ? ` (${t.description})` : ''),
    )
    .join('; ')
}
