import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderAt, uniqueName } from '../../test/render'
import { jobNodeId, lineageHref } from '../lineage/links'
import { createNamespace, createVolume, LAKE, putObject, sql } from '../lineage/testLake'

let ns: string
let column: string
let volume: string
let token: string

beforeAll(async () => {
  ns = await createNamespace('srch')
  column = uniqueName('zcol')
  token = uniqueName('ztok')
  volume = await createVolume('srchvol')
  await sql(`CREATE TABLE ${ns}.orders (id BIGINT, ${column} VARCHAR)`)
  await sql(`CREATE TABLE ${ns}.staging (id BIGINT)`)
  await sql(`INSERT INTO ${ns}.staging VALUES (1)`)
  await sql(`INSERT INTO ${ns}.orders SELECT id, 'x' FROM ${ns}.staging`)
  await putObject(volume, `drop/${token}/orders.csv`, 'id\n1\n')
  // More objects than one page holds, to page through.
  await Promise.all(Array.from({ length: 55 }, (_, i) => putObject(volume, `bulk/${token}-many/${i}.txt`, 'x', 'text/plain')))
})

const params = (router: { state: { location: { search: string } } }) => new URLSearchParams(router.state.location.search)

describe('SearchPage', () => {
  it('finds a table by a column name, under Columns, linking to the table', async () => {
    renderAt(`/search?q=${column}`)
    const columns = await screen.findByRole('list', { name: 'Columns' })
    const link = within(columns).getByRole('link', { name: `${ns}.orders.${column}` })
    expect(link).toHaveAttribute('href', `/tables/${ns}/orders`)
    expect(screen.queryByRole('list', { name: 'Tables' })).not.toBeInTheDocument()
    expect(screen.queryByRole('list', { name: 'Objects' })).not.toBeInTheDocument()
  })

  it('finds tables by name, objects by key and jobs by name, each group linking to its page', async () => {
    renderAt(`/search?q=${ns}`)
    const tables = await screen.findByRole('list', { name: 'Tables' })
    expect(within(tables).getAllByRole('link').map((link) => link.textContent)).toEqual([`${ns}.orders`, `${ns}.staging`])
    const jobs = await screen.findByRole('list', { name: 'Jobs' })
    expect(within(jobs).getByRole('link', { name: `insert.${ns}.orders` })).toHaveAttribute(
      'href',
      lineageHref(jobNodeId(LAKE, `insert.${ns}.orders`)),
    )
  })

  it('finds an object by its key and links to it in its volume', async () => {
    renderAt(`/search?q=${token}/orders`)
    const objects = await screen.findByRole('list', { name: 'Objects' })
    const link = within(objects).getByRole('link', { name: `${volume}/drop/${token}/orders.csv` })
    // The object's folder, with its details open.
    expect(link).toHaveAttribute('href', `/files/${volume}/drop/${token}/?${new URLSearchParams({ object: `drop/${token}/orders.csv` })}`)
  })

  it('pages through many results', async () => {
    renderAt(`/search?q=${token}-many`)
    const objects = await screen.findByRole('list', { name: 'Objects' })
    expect(within(objects).getAllByRole('link')).toHaveLength(50)
    await userEvent.click(screen.getByRole('button', { name: 'More tables and objects' }))
    await waitFor(() => expect(within(objects).getAllByRole('link')).toHaveLength(55))
    await waitFor(() => expect(screen.queryByRole('button', { name: 'More tables and objects' })).not.toBeInTheDocument())
  })

  it('binds the box to ?q= and says when nothing matches', async () => {
    const { router } = renderAt('/search')
    const box = await screen.findByRole('searchbox', { name: 'Search the lake' })
    expect(screen.getByText(/Type what to look for/)).toBeInTheDocument()
    await userEvent.type(box, `${token}-nothing`)
    expect(params(router).get('q')).toBe(`${token}-nothing`)
    expect(await screen.findByText(new RegExp(`Nothing matches “${token}-nothing”`))).toBeInTheDocument()

    await userEvent.clear(box)
    expect(params(router).has('q')).toBe(false)
    expect(screen.getByText(/Type what to look for/)).toBeInTheDocument()
  })

  it('takes a new search from the header box', async () => {
    const { router } = renderAt(`/search?q=${column}`)
    await screen.findByRole('list', { name: 'Columns' })
    const header = screen.getByRole('searchbox', { name: 'Search tables, columns, objects and jobs' })
    await userEvent.type(header, `${token}/orders{Enter}`)
    await waitFor(() => expect(params(router).get('q')).toBe(`${token}/orders`))
    expect(screen.getByRole('searchbox', { name: 'Search the lake' })).toHaveValue(`${token}/orders`)
    expect(await screen.findByRole('list', { name: 'Objects' })).toBeInTheDocument()
  })

  it('moves through the results with the arrow keys', async () => {
    renderAt(`/search?q=${ns}`)
    await screen.findByRole('list', { name: 'Jobs' })
    const box = screen.getByRole('searchbox', { name: 'Search the lake' })
    box.focus()
    await userEvent.keyboard('{ArrowDown}')
    expect(document.activeElement).toHaveTextContent(`${ns}.orders`)
    await userEvent.keyboard('{ArrowDown}')
    expect(document.activeElement).toHaveTextContent(`${ns}.staging`)
    await userEvent.keyboard('{End}')
    expect(document.activeElement?.closest('ul')).toHaveAccessibleName('Jobs')
    await userEvent.keyboard('{Escape}')
    expect(document.activeElement).toBe(box)
  })
})
