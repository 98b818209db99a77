// The lineage canvas: @xyflow/react draws the laid-out nodes; the selection and the centre come
// from the URL, so the canvas only reports clicks. Column lineage adds field-to-field edges.
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Edge as FlowEdge,
  type Node as FlowNode,
  type NodeChange,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useCallback, useEffect, useMemo, useRef } from 'react'
import { describeTransformations, type FieldFlow, type FieldRole } from './columnLineage'
import { jobType } from './facets'
import { fieldHandle, nodeTypes, type DatasetFlowNode, type JobFlowNode } from './GraphNodes'
import {
  datasetHeight,
  edgesOf,
  isDataset,
  kindOf,
  KIND_LABEL,
  nodeLabel,
  visibleFields,
  type JobData,
  type Placed,
} from './graphModel'

interface LineageGraphProps {
  placed: Placed[]
  centreId: string
  selectedId: string
  /** Per dataset node, the fields the selected field's column lineage lights up. */
  roles: Map<string, Map<string, FieldRole>> | undefined
  flows: FieldFlow[]
  onSelect(id: string): void
  onRecentre(id: string): void
  onField(datasetId: string, field: string): void
}

const FIT = { padding: 0.15, maxZoom: 1.2 }

/** Fits the view again when another graph arrives (a new depth), not when the selection changes. */
function RefitOnNewGraph({ placed }: { placed: Placed[] }) {
  const { fitView } = useReactFlow()
  const first = useRef(true)
  useEffect(() => {
    if (first.current) first.current = false
    else void fitView(FIT)
  }, [placed, fitView])
  return null
}

const ariaLabelConfig = {
  'node.a11yDescription.default': 'Press Enter or Space to show the node’s details.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space to show the node’s details.',
}

export function LineageGraph({ placed, centreId, selectedId, roles, flows, onSelect, onRecentre, onField }: LineageGraphProps) {
  const nodes = useMemo<(DatasetFlowNode | JobFlowNode)[]>(
    () =>
      placed.map(({ node, x, y, width, height }) => {
        const common = {
          id: node.id,
          position: { x, y },
          width,
          height,
          selected: node.id === selectedId,
          ariaLabel: `${KIND_LABEL[kindOf(node)]} ${nodeLabel(node)}`,
        }
        if (isDataset(node)) {
          const lit = roles?.get(node.id)
          // Lit-up fields past the first few make the node taller than the layout planned.
          const shown = visibleFields(node.data.fields, lit).length
          return {
            ...common,
            height: Math.max(height, datasetHeight(shown, node.data.fields.length)),
            type: 'dataset' as const,
            data: {
              label: nodeLabel(node),
              kind: kindOf(node),
              fields: node.data.fields,
              roles: lit,
              centre: node.id === centreId,
              onField: (field: string) => onField(node.id, field),
            },
          }
        }
        const job = node.data as JobData
        return {
          ...common,
          type: 'job' as const,
          data: {
            label: nodeLabel(node),
            jobType: jobType(job),
            latestRun: job.latestRun,
            centre: node.id === centreId,
          },
        }
      }),
    [placed, selectedId, centreId, roles, onField],
  )

  const edges = useMemo<FlowEdge[]>(() => {
    const present = new Set(placed.map(({ node }) => node.id))
    const lineage: FlowEdge[] = edgesOf(placed.map(({ node }) => node)).map((edge) => ({
      id: `edge:${edge.origin}->${edge.destination}`,
      source: edge.origin,
      target: edge.destination,
      sourceHandle: 'out',
      targetHandle: 'in',
      markerEnd: { type: MarkerType.ArrowClosed },
      className: edge.origin === selectedId || edge.destination === selectedId ? 'lineage-edge active' : 'lineage-edge',
    }))
    // Field flows between datasets both on the canvas; the details panel lists every flow.
    const columns: FlowEdge[] = flows
      .filter((flow) => present.has(flow.from.datasetId) && present.has(flow.to.datasetId))
      .map((flow) => ({
        id: `field:${flow.from.id}->${flow.to.id}`,
        source: flow.from.datasetId,
        target: flow.to.datasetId,
        sourceHandle: fieldHandle('out', flow.from.field),
        targetHandle: fieldHandle('in', flow.to.field),
        markerEnd: { type: MarkerType.ArrowClosed },
        className: 'lineage-edge column-flow',
        label: flow.transformations.map((t) => t.subtype ?? t.type).join(', ') || undefined,
        ariaLabel:
          `${flow.from.dataset}.${flow.from.field} to ${flow.to.dataset}.${flow.to.field}: ` +
          describeTransformations(flow.transformations),
        zIndex: 1,
      }))
    return [...lineage, ...columns]
  }, [placed, flows, selectedId])

  // Selection arrives as a change, from a click or from Enter/Space on a focused node alike.
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const picked = changes.find((change) => change.type === 'select' && change.selected)
      if (picked && picked.type === 'select') onSelect(picked.id)
    },
    [onSelect],
  )

  return (
    <div className="lineage-canvas">
      <ReactFlow
        aria-label="Lineage graph"
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDoubleClick={(_, node) => onRecentre(node.id)}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        fitView
        fitViewOptions={FIT}
        ariaLabelConfig={ariaLabelConfig}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Overview of the lineage graph" nodeClassName={(node) => node.type ?? ''} />
        <RefitOnNewGraph placed={placed} />
      </ReactFlow>
    </div>
  )
}
