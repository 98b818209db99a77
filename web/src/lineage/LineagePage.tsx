// /lineage?node=…&depth=N: the lineage graph around a dataset or job. The URL holds everything worth
// sharing: the centre (`node`), the `depth`, the `selected` node and its column-lineage `field`.
// A field as the node (`datasetField:…`, which the graph route refuses) opens its dataset's graph
// with that field chosen.
import { useCallback, useMemo, useState } from 'react'
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router'
import { formatCount } from '../ui/format'
import { ColumnLineagePanel } from './ColumnLineagePanel'
import { columnFlows, fieldRef, fieldRoles, type ColumnFlows } from './columnLineage'
import { DetailsPanel } from './DetailsPanel'
import { layout, nodeLabel } from './graphModel'
import './lineage.css'
import { LineageError } from './LineageError'
import { LineageGraph } from './LineageGraph'
import { datasetOfField, fieldNodeId, lineageHref } from './links'
import { NodeChooser } from './NodeChooser'
import { NodeList } from './NodeList'
import { useColumnLineage, useLineageGraph } from './queries'

/** Jobs this many hops away: enough to see a table's neighbourhood without drawing the whole lake. */
const DEFAULT_DEPTH = 2
const MAX_DEPTH = 100
const NO_FLOWS: ColumnFlows = { upstream: [], downstream: [] }
/** The most nodes the page lays out and draws: the layout runs in one go on the main thread, and a
 *  deep graph of thousands of nodes (a shared link may ask for depth 100) would freeze the tab. */
const MAX_DRAWN_NODES = 500

function parseDepth(text: string | null): number {
  const depth = Number(text)
  return text !== null && Number.isInteger(depth) && depth >= 0 && depth <= MAX_DEPTH ? depth : DEFAULT_DEPTH
}

function DepthControl({ depth, onChange }: { depth: number; onChange(depth: number): void }) {
  // The box keeps what is typed; only a valid depth reaches the URL.
  const [draft, setDraft] = useState<string | null>(null)
  return (
    <label className="lineage-depth">
      Depth{' '}
      <input
        type="number"
        min={0}
        max={MAX_DEPTH}
        step={1}
        value={draft ?? String(depth)}
        aria-describedby="lineage-depth-help"
        onChange={(event) => {
          setDraft(event.target.value)
          const next = Number(event.target.value)
          if (event.target.value !== '' && Number.isInteger(next) && next >= 0 && next <= MAX_DEPTH) onChange(next)
        }}
        onBlur={() => setDraft(null)}
      />
      <span id="lineage-depth-help" className="muted">
        {' '}
        job-to-job hops (0–{MAX_DEPTH})
      </span>
    </label>
  )
}

function LineageView({ nodeId }: { nodeId: string }) {
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const depth = parseDepth(params.get('depth'))
  const selectedId = params.get('selected') ?? nodeId
  const fieldId = params.get('field')

  const graph = useLineageGraph(nodeId, depth)
  const columns = useColumnLineage(fieldId)

  const nodeCount = graph.data?.graph.length ?? 0
  const tooLarge = nodeCount > MAX_DRAWN_NODES
  const placed = useMemo(() => (graph.data && !tooLarge ? layout(graph.data.graph) : []), [graph.data, tooLarge])
  const byId = useMemo(() => new Map(placed.map(({ node }) => [node.id, node])), [placed])
  const flows = useMemo(
    () => (columns.data && fieldId ? columnFlows(columns.data.graph, fieldId) : NO_FLOWS),
    [columns.data, fieldId],
  )
  const start = useMemo(() => {
    const node = columns.data?.graph.find((candidate) => candidate.id === fieldId)
    return node && fieldRef(node)
  }, [columns.data, fieldId])
  const roles = useMemo(() => (start ? fieldRoles(flows, start) : undefined), [flows, start])
  const drawnFlows = useMemo(() => [...flows.upstream, ...flows.downstream], [flows])

  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous)
          for (const [name, value] of Object.entries(changes)) {
            if (value === null) next.delete(name)
            else next.set(name, value)
          }
          return next
        },
        { replace: true },
      ),
    [setParams],
  )
  const select = useCallback(
    (id: string) => {
      if (id !== selectedId) update({ selected: id === nodeId ? null : id, field: null })
    },
    [update, selectedId, nodeId],
  )
  const chooseField = useCallback(
    (datasetId: string, field: string | null) => update({ selected: datasetId === nodeId ? null : datasetId, field }),
    [update, nodeId],
  )
  const recentre = useCallback((id: string) => navigate(lineageHref(id, depth)), [navigate, depth])
  const chooseCanvasField = useCallback(
    (datasetId: string, field: string) => {
      const node = byId.get(datasetId)
      if (node) chooseField(datasetId, fieldNodeId(node.data.namespace, node.data.name, field))
    },
    [byId, chooseField],
  )

  const centre = byId.get(nodeId)
  const title = centre ? nodeLabel(centre) : nodeId

  return (
    <section className="lineage-page" aria-labelledby="lineage-title">
      <div className="lineage-title-row">
        <h1 id="lineage-title" title={nodeId}>
          Lineage of {title}
        </h1>
        <Link to="/lineage">Choose another node</Link>
      </div>
      <div className="toolbar">
        <DepthControl depth={depth} onChange={(next) => update({ depth: String(next) })} />
        {graph.isFetching && <span role="status" className="muted">Loading the graph…</span>}
        {graph.isSuccess && !tooLarge && (
          <span className="muted">
            {placed.length} nodes. Click a node for its details, double-click it to centre the graph on it.
          </span>
        )}
      </div>
      {graph.isError ? (
        <>
          <LineageError error={graph.error} />
          <p>
            <Link to="/lineage">Choose another node</Link>
          </p>
        </>
      ) : graph.isPending ? null : tooLarge ? (
        <p className="lineage-too-large">
          The graph is too large at this depth: {formatCount(nodeCount)} nodes, more than the {formatCount(MAX_DRAWN_NODES)}{' '}
          this page draws. Lower the depth to see it.
        </p>
      ) : (
        <>
          <div className="lineage-layout">
            <LineageGraph
              placed={placed}
              centreId={nodeId}
              selectedId={selectedId}
              roles={roles}
              flows={drawnFlows}
              onSelect={select}
              onRecentre={recentre}
              onField={chooseCanvasField}
            />
            <DetailsPanel
              node={byId.get(selectedId)}
              selectedId={selectedId}
              centreId={nodeId}
              depth={depth}
              fieldId={fieldId}
              byId={byId}
              onSelect={select}
              onField={chooseField}
              columns={
                fieldId && (
                  <ColumnLineagePanel
                    field={start}
                    fieldId={fieldId}
                    query={columns}
                    flows={flows}
                    onField={chooseField}
                    onClose={() => update({ field: null })}
                  />
                )
              }
            />
          </div>
          <section aria-labelledby="lineage-nodes-title">
            <h2 id="lineage-nodes-title">Nodes</h2>
            <NodeList placed={placed} centreId={nodeId} selectedId={selectedId} depth={depth} onSelect={select} />
          </section>
        </>
      )}
    </section>
  )
}

export default function LineagePage() {
  const [params] = useSearchParams()
  const node = params.get('node')
  if (!node) return <NodeChooser />
  const dataset = datasetOfField(node)
  if (dataset) {
    const next = new URLSearchParams(params)
    next.set('node', dataset)
    next.set('field', node)
    next.delete('selected')
    return <Navigate replace to={`/lineage?${next}`} />
  }
  return <LineageView key={node} nodeId={node} />
}
