import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { edgesOf, nodeLabel, type LineageNode } from './graphModel'
import { lineageHref } from './links'
import { columnLineage, lineage, makeLineage, polyfillCanvas } from './testLake'

polyfillCanvas()

let lake: Awaited<ReturnType<typeof makeLineage>>

beforeAll(async () => {
  lake = await makeLineage('lin')
})

/** The node list's items, each as its button's name (kind and label). */
async function listedNodes(): Promise<string[]> {
  const list = await screen.findByRole('list', { name: 'Lineage nodes' })
  return within(list)
    .getAllByRole('listitem')
    .map((item) => within(item).getAllByRole('button')[0].textContent!.trim())
}

function expectedNames(graph: LineageNode[]): string[] {
  return graph.map((node) => nodeLabel(node)).sort()
}

const nameOf = (entry: string) => entry.replace(/^(Table|Object|Dataset|Job)\s+/, '')

function canvasNodeIds(): string[] {
  const canvas = screen.getByRole('application', { name: 'Lineage graph' })
  return [...canvas.querySelectorAll('.react-flow__node')].map((node) => node.getAttribute('data-id')!).sort()
}

describe('LineagePage', () => {
  it('draws and lists exactly the nodes and edges the API gives for a table', async () => {
    const reference = (await lineage(lake.dst, 1)).graph
    renderAt(lineageHref(lake.dst, 1))
    expect(await screen.findByRole('heading', { level: 1, name: `Lineage of ${lake.ns}.dst` })).toBeInTheDocument()

    const listed = await listedNodes()
    expect(listed.map(nameOf).sort()).toEqual(expectedNames(reference))
    expect(canvasNodeIds()).toEqual(reference.map((node) => node.id).sort())
    // The object ingested into dst, the job that read it, and the reader of dst are all there.
    expect(listed).toContain(`Object ${lake.volume}/${lake.key}`)
    expect(listed).toContain(`Job ingest.${lake.ns}.dst`)
    expect(listed).toContain(`Job create_table_as.${lake.ns}.report`)

    // Each edge of the API's graph is told in the list, from the job's side.
    const list = screen.getByRole('list', { name: 'Lineage nodes' })
    const byId = new Map(reference.map((node) => [node.id, node]))
    for (const edge of edgesOf(reference)) {
      const job = edge.origin.startsWith('job:') ? edge.origin : edge.destination
      const dataset = byId.get(edge.origin.startsWith('job:') ? edge.destination : edge.origin)!
      const item = within(list)
        .getAllByRole('listitem')
        .find((li) => within(li).getAllByRole('button')[0].textContent!.trim() === `Job ${byId.get(job)!.data.name}`)!
      const verb = edge.origin === job ? 'Writes' : 'Reads'
      expect(item.textContent).toMatch(new RegExp(`${verb}: [^.]*${nodeLabel(dataset).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    }
  })

  it('changes the graph with the depth, and keeps the depth in the URL', async () => {
    const shallow = (await lineage(lake.src, 0)).graph
    const deeper = (await lineage(lake.src, 1)).graph
    expect(deeper.length).toBeGreaterThan(shallow.length)

    const { router } = renderAt(lineageHref(lake.src, 0))
    await waitFor(async () => expect((await listedNodes()).map(nameOf).sort()).toEqual(expectedNames(shallow)))
    expect((await listedNodes()).map(nameOf)).not.toContain(`${lake.ns}.report`)

    const depth = screen.getByRole('spinbutton', { name: /Depth/ })
    await userEvent.clear(depth)
    await userEvent.type(depth, '1')
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('depth')).toBe('1'))
    await waitFor(async () => expect((await listedNodes()).map(nameOf).sort()).toEqual(expectedNames(deeper)))
    expect((await listedNodes()).map(nameOf)).toContain(`${lake.ns}.report`)
    expect(canvasNodeIds()).toEqual(deeper.map((node) => node.id).sort())
  })

  it('shows a field’s column lineage, upstream and downstream, with the transformations', async () => {
    const fieldId = `datasetField:ducklake://default:${lake.ns}.dst:total`
    const reference = (await columnLineage(fieldId)).graph
    const ids = reference.map((node) => node.id)
    expect(ids).toContain(`datasetField:ducklake://default:${lake.ns}.src:amount`)
    expect(ids).toContain(`datasetField:ducklake://default:${lake.ns}.report:grand`)

    const { router } = renderAt(lineageHref(lake.dst, 1))
    const details = await screen.findByRole('complementary', { name: 'Details' })
    await userEvent.click(within(within(details).getByRole('list', { name: 'Fields' })).getByRole('button', { name: 'total' }))
    expect(new URLSearchParams(router.state.location.search).get('field')).toBe(fieldId)

    const panel = await screen.findByRole('region', { name: `Column lineage of ${lake.ns}.dst.total` })
    const upstream = await within(panel).findByRole('list', { name: 'Upstream column flows' })
    expect(upstream).toHaveTextContent(`${lake.ns}.src.amount`)
    expect(upstream).toHaveTextContent('TRANSFORMATION')
    const downstream = within(panel).getByRole('list', { name: 'Downstream column flows' })
    expect(downstream).toHaveTextContent(`${lake.ns}.report.grand`)
    expect(downstream).toHaveTextContent('AGGREGATION')

    // The canvas lights up the fields on both sides of the flow.
    const canvas = screen.getByRole('application', { name: 'Lineage graph' })
    await waitFor(() => {
      const src = canvas.querySelector(`.react-flow__node[data-id="${lake.src}"]`)!
      expect(src.querySelector('li.field-upstream')).toHaveTextContent('amount')
      const report = canvas.querySelector(`.react-flow__node[data-id="${lake.report}"]`)!
      expect(report.querySelector('li.field-downstream')).toHaveTextContent('grand')
    })

    // Following a flow selects the other field.
    await userEvent.click(within(upstream).getByRole('button', { name: `${lake.ns}.src.amount` }))
    await waitFor(() =>
      expect(new URLSearchParams(router.state.location.search).get('field')).toBe(
        `datasetField:ducklake://default:${lake.ns}.src:amount`,
      ),
    )
    expect(await screen.findByRole('region', { name: `Column lineage of ${lake.ns}.src.amount` })).toBeInTheDocument()
  })

  it('opens a field node on its dataset’s graph with the field’s column lineage', async () => {
    const fieldId = `datasetField:ducklake://default:${lake.ns}.dst:total`
    const { router } = renderAt(lineageHref(fieldId, 1))
    expect(await screen.findByRole('heading', { level: 1, name: `Lineage of ${lake.ns}.dst` })).toBeInTheDocument()
    const search = new URLSearchParams(router.state.location.search)
    expect(Object.fromEntries(search)).toEqual({ node: lake.dst, field: fieldId, depth: '1' })

    const panel = await screen.findByRole('region', { name: `Column lineage of ${lake.ns}.dst.total` })
    expect(await within(panel).findByRole('list', { name: 'Upstream column flows' })).toHaveTextContent(`${lake.ns}.src.amount`)
    expect(within(panel).getByRole('list', { name: 'Downstream column flows' })).toHaveTextContent(`${lake.ns}.report.grand`)
    const details = screen.getByRole('complementary', { name: 'Details' })
    expect(within(details).getByRole('heading', { name: `${lake.ns}.dst` })).toBeInTheDocument()
    expect(within(within(details).getByRole('list', { name: 'Fields' })).getByRole('button', { name: 'total' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('says what is wrong with a field node that names no dataset', async () => {
    renderAt(lineageHref('datasetField:total'))
    expect(await screen.findByRole('alert')).toHaveTextContent('(400)')
  })

  it('shows a job’s run history with the error of its failed run', async () => {
    renderAt(lineageHref(lake.failedJob))
    const details = await screen.findByRole('complementary', { name: 'Details' })
    const runs = await within(details).findByRole('table', { name: 'Run history' })
    expect(within(runs).getByText('Failed')).toBeInTheDocument()
    expect(runs).toHaveTextContent('statement 2:')
    expect(runs).toHaveTextContent('nosuchcol')
    expect(lake.failure.detail).toContain('nosuchcol')
  })

  it('selects a node by a click, re-centres on a double-click, and links datasets to their pages', async () => {
    const { router } = renderAt(lineageHref(lake.dst, 1))
    await listedNodes()
    const canvas = screen.getByRole('application', { name: 'Lineage graph' })
    const objectNode = [...canvas.querySelectorAll('.react-flow__node')].find((node) =>
      node.getAttribute('data-id')!.endsWith(`/volumes/${lake.volume}/${lake.key}`),
    )!
    fireEvent.click(objectNode)
    const details = screen.getByRole('complementary', { name: 'Details' })
    expect(await within(details).findByRole('heading', { name: `${lake.volume}/${lake.key}` })).toBeInTheDocument()
    const open = await within(details).findByRole('link', { name: `Open object ${lake.volume}/${lake.key}` })
    expect(open).toHaveAttribute('href', `/files/${lake.volume}/in/?object=in%2Forders.csv`)

    // The list's buttons select too.
    const list = screen.getByRole('list', { name: 'Lineage nodes' })
    await userEvent.click(within(list).getByRole('button', { name: `Table ${lake.ns}.src` }))
    expect(within(details).getByRole('heading', { name: `${lake.ns}.src` })).toBeInTheDocument()
    expect(within(details).getByRole('link', { name: `Open table ${lake.ns}.src` })).toHaveAttribute(
      'href',
      `/tables/${lake.ns}/src`,
    )

    fireEvent.doubleClick(canvas.querySelector(`.react-flow__node[data-id="${lake.report}"]`)!)
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('node')).toBe(lake.report))
    expect(await screen.findByRole('heading', { level: 1, name: `Lineage of ${lake.ns}.report` })).toBeInTheDocument()
  })

  it('says so when the node is not in the graph', async () => {
    renderAt(lineageHref(`dataset:ducklake://default:${lake.ns}.nothing`))
    expect(await screen.findByRole('alert')).toHaveTextContent(`no lineage for node 'dataset:ducklake://default:${lake.ns}.nothing'`)
  })
})
