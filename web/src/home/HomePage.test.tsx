import { render, screen, waitFor, within } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { api, ApiError, data } from '../api/client'
import { createNamespace, createVolume, putObject, sql, transaction } from '../lineage/testLake'
import { formatBytes, formatCount } from '../ui/format'
import { RECENT_RUNS, RECENT_SNAPSHOTS } from './queries'
import { recentRuns } from './recentRuns'
import { Refusal } from './Refusal'

const CARDS = ['Namespaces', 'Tables', 'Volumes', 'Objects', 'Object bytes']

let volume: string

beforeAll(async () => {
  const ns = await createNamespace('home')
  volume = await createVolume('homevol')
  await sql(`CREATE TABLE ${ns}.a (n BIGINT)`)
  await sql(`CREATE TABLE ${ns}.b AS SELECT 1 AS n`)
  await putObject(volume, 'x/one.csv', 'n\n1\n')
  await putObject(volume, 'x/two.txt', 'hello world', 'text/plain')
  await transaction([`INSERT INTO ${ns}.a SELECT 1`, `INSERT INTO ${ns}.a SELECT missing FROM ${ns}.b`])
})

/** What the page should show, straight from the API. */
async function reference() {
  const namespaces = data(await api.GET('/api/v1/namespaces')).namespaces
  const volumes = data(await api.GET('/api/v1/volumes')).volumes
  const described = await Promise.all(
    volumes.map(async (v) => data(await api.GET('/api/v1/volumes/{vol}', { params: { path: { vol: v.name } } }))),
  )
  const snapshots = data(await api.GET('/api/v1/snapshots', { params: { query: { limit: RECENT_SNAPSHOTS } } }))
  const events = data(await api.GET('/marquez/api/v1/events/lineage', { params: { query: { limit: 100 } } }))
  return {
    cards: [
      formatCount(namespaces.length),
      formatCount(namespaces.reduce((sum, n) => sum + n.table_count, 0)),
      formatCount(volumes.length),
      formatCount(described.reduce((sum, v) => sum + v.object_count, 0)),
      formatBytes(described.reduce((sum, v) => sum + v.size_bytes, 0)),
    ],
    volumes: described.map((v) => [v.name, formatCount(v.object_count), formatBytes(v.size_bytes)]),
    snapshots: snapshots.snapshots.map((s) => String(s.snapshot_id)),
    runs: recentRuns(events.events, RECENT_RUNS).map((run) => run.job),
  }
}

function shown() {
  const rows = (name: string) =>
    within(screen.getByRole('table', { name }))
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent))
  return {
    cards: CARDS.map((label) => screen.getByRole('group', { name: label }).querySelector('.value')!.textContent),
    volumes: rows('Volumes'),
    snapshots: rows('Recent snapshots').map((row) => row[0]),
    runs: within(screen.getByRole('table', { name: 'Recent runs' }))
      .getAllByRole('link')
      .map((link) => link.textContent),
  }
}

describe('HomePage', () => {
  it('counts what the API lists, and shows the latest snapshots and runs', async () => {
    // Other test files change the lake meanwhile: compare in a moment when the API's answers
    // before and after the page loaded agree.
    for (let attempt = 0; attempt < 15; attempt++) {
      const before = await reference()
      const view = renderAt('/')
      await waitFor(() => {
        for (const label of CARDS) expect(screen.getByRole('group', { name: label })).not.toHaveTextContent('…')
        expect(screen.getByRole('table', { name: 'Recent snapshots' })).toBeInTheDocument()
        expect(screen.getByRole('table', { name: 'Recent runs' })).toBeInTheDocument()
      })
      const page = shown()
      const after = await reference()
      view.unmount()
      if (JSON.stringify(before) === JSON.stringify(after)) {
        expect(page).toEqual(before)
        expect(page.volumes).toContainEqual([volume, '2', formatBytes(4 + 11)])
        return
      }
    }
    throw new Error('the lake never stood still long enough to compare')
  }, 60_000)

  it('shows the server’s health and readiness checks', async () => {
    renderAt('/')
    const health = await screen.findByRole('list', { name: 'Server health' })
    await waitFor(() => expect(within(health).getByText('Metadata catalog')).toBeInTheDocument())
    expect(health).toHaveTextContent('Serving ok')
    expect(health).toHaveTextContent('Ready ready')
    expect(health).toHaveTextContent('Object store ok')
  })

  it('links the volumes to the files and the runs to their job’s lineage', async () => {
    renderAt('/')
    const volumes = await screen.findByRole('table', { name: 'Volumes' })
    expect(within(volumes).getByRole('link', { name: volume })).toHaveAttribute('href', `/files/${volume}`)
    const runs = await screen.findByRole('table', { name: 'Recent runs' })
    for (const link of within(runs).getAllByRole('link')) {
      expect(link.getAttribute('href')).toMatch(/^\/lineage\?node=job%3A/)
    }
  })

  it('says politely what a refused part needs, and shows other failures as errors', () => {
    const problem = (status: number, detail: string) =>
      new ApiError({ type: 'about:blank', title: 'x', status, detail, instance: '/api/v1/snapshots' })
    const { unmount } = render(<Refusal error={problem(403, "'rita' is not reader of the lake")} needs="reader on the lake" />)
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.getByText(/Not shown: reader on the lake/)).toHaveTextContent("'rita' is not reader of the lake")
    unmount()
    render(<Refusal error={problem(500, 'the catalog is gone')} needs="reader on the lake" />)
    expect(screen.getByRole('alert')).toHaveTextContent('the catalog is gone')
  })
})
