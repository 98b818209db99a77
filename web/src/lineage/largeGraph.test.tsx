import { screen } from '@testing-library/react'
import type { Middleware } from 'openapi-fetch'
import { afterEach, describe, expect, it } from 'vitest'
import { api } from '../api/client'
import { renderAt } from '../../test/render'
import { lineageHref } from './links'

/** The lineage route answers with a chain of `count` jobs, as a deep graph of a busy lake would be. */
function answerWithGraph(count: number): Middleware {
  const ids = Array.from({ length: count }, (_, i) => `job:ns:job${i}`)
  const graph = ids.map((id, i) => ({
    id,
    type: 'JOB',
    data: { type: 'BATCH', name: `job${i}`, namespace: 'ns' },
    inEdges: i > 0 ? [{ origin: ids[i - 1], destination: id }] : [],
    outEdges: i < count - 1 ? [{ origin: id, destination: ids[i + 1] }] : [],
  }))
  const middleware: Middleware = {
    onRequest({ request }) {
      if (new URL(request.url).pathname !== '/api/v1/lineage') return request
      return new Response(JSON.stringify({ graph }), { headers: { 'Content-Type': 'application/json' } })
    },
  }
  api.use(middleware)
  return middleware
}

let installed: Middleware | undefined

afterEach(() => {
  if (installed) api.eject(installed)
  installed = undefined
})

describe('LineagePage: a large graph', () => {
  it('draws nothing past 500 nodes, and says to lower the depth', async () => {
    installed = answerWithGraph(2000)
    renderAt(lineageHref('job:ns:job0', 100))
    expect(await screen.findByText(/The graph is too large at this depth: 2,000 nodes, more than the 500/)).toHaveTextContent(
      /Lower the depth/,
    )
    expect(screen.queryByRole('application', { name: 'Lineage graph' })).not.toBeInTheDocument()
    expect(screen.queryByRole('list', { name: 'Lineage nodes' })).not.toBeInTheDocument()
    expect(screen.getByRole('spinbutton', { name: /Depth/ })).toHaveValue(100)
  })
})
