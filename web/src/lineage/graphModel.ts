// The lineage graph as the page draws and lists it: node kinds and labels, the edges, and a
// left-to-right layout (data flows from left to right) computed by dagre.
import dagre from '@dagrejs/dagre'
import { storageLayer } from './facets'
import { tableOfDataset } from './links'
import type { LineageGraphData } from './queries'

export type LineageNode = LineageGraphData['graph'][number]
export type DatasetData = Extract<LineageNode['data'], { type: 'DB_TABLE' }>
export type JobData = Exclude<LineageNode['data'], { type: 'DB_TABLE' }>
export type DatasetNode = LineageNode & { type: 'DATASET'; data: DatasetData }
export type JobNode = LineageNode & { type: 'JOB'; data: JobData }
export type NodeKind = 'table' | 'object' | 'dataset' | 'job'

export function isDataset(node: LineageNode): node is DatasetNode {
  return node.type === 'DATASET'
}

export function isJob(node: LineageNode): node is JobNode {
  return node.type === 'JOB'
}

export function kindOf(node: LineageNode): NodeKind {
  if (isJob(node)) return 'job'
  const layer = storageLayer(node.data)
  if (layer === 'ducklake' || (!layer && tableOfDataset(node.data.namespace, node.data.name))) return 'table'
  if (layer === 'object_store' || node.data.namespace === 'file' || node.data.namespace.startsWith('s3://')) return 'object'
  return 'dataset'
}

export const KIND_LABEL: Record<NodeKind, string> = { table: 'Table', object: 'Object', dataset: 'Dataset', job: 'Job' }

/** What a node is called on screen: an object by its volume and key rather than the whole store path. */
export function nodeLabel(node: LineageNode): string {
  const name = node.data.name
  if (kindOf(node) === 'object') {
    const at = name.lastIndexOf('/volumes/')
    if (at !== -1) return name.slice(at + '/volumes/'.length)
  }
  return name
}

export interface Edge {
  origin: string
  destination: string
}

/** Every edge once, from both ends' lists, in a stable order. */
export function edgesOf(graph: LineageNode[]): Edge[] {
  const edges = new Map<string, Edge>()
  for (const node of graph) {
    for (const edge of [...node.inEdges, ...node.outEdges]) {
      edges.set(`${edge.origin}\u0000${edge.destination}`, { origin: edge.origin, destination: edge.destination })
    }
  }
  return [...edges.values()].sort((a, b) =>
    a.origin === b.origin ? a.destination.localeCompare(b.destination) : a.origin.localeCompare(b.origin),
  )
}

// Sizes the layout reserves; lineage.css draws the nodes to them.
/** Fields a dataset node lists before "n more". */
const FIELDS_SHOWN = 12
const DATASET_WIDTH = 250
const JOB_WIDTH = 230
const JOB_HEIGHT = 76
const HEADER_HEIGHT = 52
const FIELD_HEIGHT = 22

/** The fields a dataset node lists: the first ones, plus any further down that are lit up. */
export function visibleFields<F extends { name: string }>(fields: F[], lit: Map<string, unknown> | undefined): F[] {
  return fields.filter((field, index) => index < FIELDS_SHOWN || lit?.has(field.name) === true)
}

/** A dataset node's height: its header, the fields it lists, and a line for the rest. */
export function datasetHeight(shown: number, total: number): number {
  const rows = shown + (total > shown ? 1 : 0)
  return HEADER_HEIGHT + rows * FIELD_HEIGHT + (rows > 0 ? 8 : 0)
}

export interface Placed {
  node: LineageNode
  x: number
  y: number
  width: number
  height: number
}

/** Top-left positions, left to right in the direction of the data; nodes in reading order
 *  (by column, then top to bottom). */
export function layout(graph: LineageNode[]): Placed[] {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 16, marginy: 16 })
  g.setDefaultEdgeLabel(() => ({}))
  const sizes = new Map<string, { width: number; height: number }>()
  for (const node of graph) {
    const size = isDataset(node)
      ? { width: DATASET_WIDTH, height: datasetHeight(Math.min(node.data.fields.length, FIELDS_SHOWN), node.data.fields.length) }
      : { width: JOB_WIDTH, height: JOB_HEIGHT }
    sizes.set(node.id, size)
    g.setNode(node.id, size)
  }
  for (const edge of edgesOf(graph)) {
    if (sizes.has(edge.origin) && sizes.has(edge.destination)) g.setEdge(edge.origin, edge.destination)
  }
  dagre.layout(g)
  return graph
    .map((node) => {
      const { x, y } = g.node(node.id) as { x: number; y: number }
      const size = sizes.get(node.id)!
      return { node, x: x - size.width / 2, y: y - size.height / 2, ...size }
    })
    .sort((a, b) => a.x + a.width / 2 - (b.x + b.width / 2) || a.y - b.y)
}
