import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { ApiError } from '../api/client'
import { LineageError } from './LineageError'
import { lineageHref } from './links'
import { makeLineage, polyfillCanvas } from './testLake'

polyfillCanvas()

let lake: Awaited<ReturnType<typeof makeLineage>>

beforeAll(async () => {
  lake = await makeLineage('linpick')
})

describe('Lineage without a node', () => {
  it('finds datasets and jobs by name, the box bound to ?q=', async () => {
    const { router } = renderAt('/lineage')
    expect(await screen.findByRole('heading', { level: 1, name: 'Lineage' })).toBeInTheDocument()
    await userEvent.type(screen.getByRole('searchbox', { name: 'Find a dataset or job' }), lake.ns)
    const results = await screen.findByRole('list', { name: 'Matching datasets and jobs' })
    expect(new URLSearchParams(router.state.location.search).get('q')).toBe(lake.ns)
    expect(within(results).getByRole('link', { name: `${lake.ns}.dst` })).toHaveAttribute('href', lineageHref(lake.dst))
    expect(within(results).getByRole('link', { name: `insert.${lake.ns}.dst` })).toHaveAttribute(
      'href',
      lineageHref(lake.insertJob),
    )

    await userEvent.click(within(results).getByRole('link', { name: `${lake.ns}.dst` }))
    expect(await screen.findByRole('heading', { level: 1, name: `Lineage of ${lake.ns}.dst` })).toBeInTheDocument()
  })

  it('opens with the search of its URL, and browses the lineage namespaces', async () => {
    renderAt(`/lineage?q=${lake.ns}.report`)
    expect(await screen.findByRole('searchbox', { name: 'Find a dataset or job' })).toHaveValue(`${lake.ns}.report`)
    const results = await screen.findByRole('list', { name: 'Matching datasets and jobs' })
    expect(within(results).getAllByRole('link').map((link) => link.textContent)).toEqual(
      expect.arrayContaining([`${lake.ns}.report`, `create_table_as.${lake.ns}.report`]),
    )

    await userEvent.clear(screen.getByRole('searchbox', { name: 'Find a dataset or job' }))
    const namespaces = await screen.findByRole('list', { name: 'Lineage namespaces' })
    await userEvent.click(within(namespaces).getByText('ducklake://default'))
    const datasets = await screen.findByRole('list', { name: 'Datasets in ducklake://default' })
    expect(within(datasets).getAllByRole('link').length).toBeGreaterThan(0)
    expect(await screen.findByRole('list', { name: 'Jobs in ducklake://default' })).toBeInTheDocument()
  })

  it('explains a refusal: lineage needs reader on the whole lake', () => {
    const refusal = new ApiError({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: "'rita' is not reader of the lake",
      instance: '/api/v1/lineage',
    })
    render(<LineageError error={refusal} />)
    expect(screen.getByRole('alert')).toHaveTextContent("Not allowed'rita' is not reader of the lake")
    expect(screen.getByText(/needs the reader role on the whole lake/)).toBeInTheDocument()
  })
})
