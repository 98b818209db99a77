// The graph as a list: every node with what it reads and writes, for the keyboard and screen
// readers (the canvas is a picture of the same thing).
import { useMemo } from 'react'
import { Link } from 'react-router'
import { edgesOf, isJob, kindOf, KIND_LABEL, nodeLabel, type LineageNode, type Placed } from './graphModel'
import { lineageHref } from './links'

interface NodeListProps {
  placed: Placed[]
  centreId: string
  selectedId: string
  depth: number
  onSelect(id: string): void
}

function names(ids: string[], byId: Map<string, LineageNode>): string {
  return ids.map((id) => (byId.has(id) ? nodeLabel(byId.get(id)!) : id)).join(', ')
}

export function NodeList({ placed, centreId, selectedId, depth, onSelect }: NodeListProps) {
  const { graph, byId, upstreamOf, downstreamOf } = useMemo(() => {
    const graph = placed.map(({ node }) => node)
    const upstreamOf = new Map<string, string[]>()
    const downstreamOf = new Map<string, string[]>()
    for (const edge of edgesOf(graph)) {
      upstreamOf.set(edge.destination, upstreamOf.get(edge.destination) ?? []).get(edge.destination)!.push(edge.origin)
      downstreamOf.set(edge.origin, downstreamOf.get(edge.origin) ?? []).get(edge.origin)!.push(edge.destination)
    }
    return { graph, byId: new Map(graph.map((node) => [node.id, node])), upstreamOf, downstreamOf }
  }, [placed])
  return (
    <ul className="lineage-node-list" aria-label="Lineage nodes">
      {graph.map((node) => {
        const label = nodeLabel(node)
        const kind = KIND_LABEL[kindOf(node)]
        const upstream = upstreamOf.get(node.id) ?? []
        const downstream = downstreamOf.get(node.id) ?? []
        const selected = node.id === selectedId
        const [from, to] = isJob(node) ? ['Reads', 'Writes'] : ['Written by', 'Read by']
        return (
          <li key={node.id} className={selected ? 'selected' : undefined} aria-current={selected ? 'true' : undefined}>
            <div className="lineage-node-list-head">
              <button type="button" aria-pressed={selected} onClick={() => onSelect(node.id)} title={node.id}>
                <span className={`badge kind-${kindOf(node)}`}>{kind}</span> {label}
              </button>
              {node.id === centreId ? (
                <span className="muted">centre of the graph</span>
              ) : (
                <Link to={lineageHref(node.id, depth)} aria-label={`Centre here: ${label}`}>
                  Centre here
                </Link>
              )}
            </div>
            <p className="lineage-node-list-edges muted">
              {upstream.length > 0 && (
                <span>
                  {from}: {names(upstream, byId)}.
                </span>
              )}{' '}
              {downstream.length > 0 && (
                <span>
                  {to}: {names(downstream, byId)}.
                </span>
              )}
            </p>
          </li>
        )
      })}
    </ul>
  )
}
