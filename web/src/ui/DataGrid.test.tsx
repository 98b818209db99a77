import { fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { compareValues, DataGrid, isNumericType } from './DataGrid'
import { seededRandom, testSeed, randomValue } from '../../test/random'

const columns = [
  { name: 'id', type: 'INTEGER' },
  { name: 'name', type: 'VARCHAR' },
]

describe('DataGrid', () => {
  it('shows a window of a large result, not all of it', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [i, `row ${i}`])
    render(<DataGrid columns={columns} rows={rows} label="numbers" height={300} />)
    const grid = screen.getByRole('grid', { name: 'numbers' })
    expect(grid).toHaveAttribute('aria-rowcount', '100001')
    const shown = within(grid).getAllByRole('row')
    expect(shown.length).toBeGreaterThan(5)
    expect(shown.length).toBeLessThan(60)
    expect(within(grid).getByText('row 0')).toBeInTheDocument()
  })

  it('sorts by a header click, NULLs last, and says how it is sorted', async () => {
    const rows = [[2, 'b'], [null, 'n'], [10, 'a'], [1, 'c']]
    render(<DataGrid columns={columns} rows={rows} label="sorting" />)
    const header = screen.getByRole('columnheader', { name: /id/ })
    await userEvent.click(within(header).getByRole('button'))
    expect(header).toHaveAttribute('aria-sort', 'ascending')
    const firstColumn = () => screen.getAllByRole('gridcell').filter((_, i) => i % 2 === 0).map((c) => c.textContent)
    expect(firstColumn()).toEqual(['1', '2', '10', 'NULL'])
    await userEvent.click(within(header).getByRole('button'))
    expect(header).toHaveAttribute('aria-sort', 'descending')
    expect(firstColumn()).toEqual(['10', '2', '1', 'NULL'])
  })

  it('moves the active cell with the keyboard', async () => {
    render(<DataGrid columns={columns} rows={[[1, 'a'], [2, 'b']]} label="keys" />)
    const grid = screen.getByRole('grid')
    grid.focus()
    await userEvent.keyboard('{ArrowDown}{ArrowRight}')
    const active = document.getElementById(grid.getAttribute('aria-activedescendant')!)
    expect(active).toHaveTextContent('b')
  })

  it('orders values as a total order (the sort never contradicts itself)', () => {
    const random = seededRandom(testSeed())
    const values = Array.from({ length: 300 }, () => randomValue(random))
    for (let i = 0; i < 2000; i++) {
      const a = values[Math.floor(random() * values.length)]
      const b = values[Math.floor(random() * values.length)]
      expect(Math.sign(compareValues(a, b))).toBe(-Math.sign(compareValues(b, a)) || 0)
    }
  })

  it('keeps the sort of a streamed result without sorting the rows it already sorted again', async () => {
    // Rows that count how often the sorted column is read.
    let reads = 0
    const counted = (id: number | null, name: string) =>
      new Proxy([id, name], {
        get(target, property, receiver) {
          if (property === '0') reads++
          return Reflect.get(target, property, receiver)
        },
      })
    const ids = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? null : (i * 7919) % 5000))
    const rows: unknown[][] = ids.map((id, i) => counted(id, `r${i}`))
    const top = ids.filter((id) => id !== null).sort((a, b) => b - a).slice(0, 3).map(String)
    const view = render(<DataGrid columns={columns} rows={rows} version={0} label="streamed" height={300} />)
    const header = screen.getByRole('columnheader', { name: /id/ })
    await userEvent.click(within(header).getByRole('button'))
    await userEvent.click(within(header).getByRole('button'))
    const firstColumn = () =>
      within(screen.getByRole('grid')).getAllByRole('gridcell').filter((_, i) => i % 2 === 0).map((cell) => cell.textContent)
    expect(firstColumn().slice(0, 3)).toEqual(top)

    reads = 0
    rows.push(counted(9000, 'late'), counted(null, 'late null'), counted(-1, 'low'))
    view.rerender(<DataGrid columns={columns} rows={rows} version={1} label="streamed" height={300} />)
    expect(firstColumn().slice(0, 3)).toEqual(['9000', ...top.slice(0, 2)])
    // The new rows' keys and the rows on screen; a sort of everything reads the column ~100,000 times.
    expect(reads).toBeLessThan(200)

    reads = 0
    view.rerender(<DataGrid columns={columns} rows={rows} version={2} label="streamed" height={300} />)
    expect(reads).toBeLessThan(100)
  })

  it('keeps the active cell on a row that is there when the rows shrink', async () => {
    const many = Array.from({ length: 50 }, (_, i) => [i, `row ${i}`])
    const view = render(<DataGrid columns={columns} rows={many} label="shrinking" />)
    const grid = screen.getByRole('grid')
    grid.focus()
    await userEvent.keyboard('{Control>}{End}{/Control}')
    view.rerender(<DataGrid columns={columns} rows={[[1, 'only']]} label="shrinking" />)
    const active = document.getElementById(grid.getAttribute('aria-activedescendant')!)
    expect(active).toHaveTextContent('only')
  })

  it('keeps the active row in the DOM when it is scrolled out of the window', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [i, `row ${i}`])
    render(<DataGrid columns={columns} rows={rows} label="scrolled" height={300} />)
    const grid = screen.getByRole('grid', { name: 'scrolled' })
    // jsdom lays nothing out: say where the grid is scrolled to, as a browser would.
    Object.defineProperty(grid, 'scrollTop', { configurable: true, value: 50_000 * 28 })
    fireEvent.scroll(grid)
    expect(within(grid).getByText('row 50000')).toBeInTheDocument()
    const active = document.getElementById(grid.getAttribute('aria-activedescendant')!)
    expect(active).toHaveTextContent('0')
    expect(within(grid).getAllByRole('row').length).toBeLessThan(60)
  })

  it('resizes a column from the keyboard, and not below its minimum', async () => {
    render(<DataGrid columns={columns} rows={[[1, 'a']]} label="widths" />)
    const handle = screen.getByRole('separator', { name: 'Width of name' })
    const template = () => (screen.getAllByRole('row')[1] as HTMLElement).style.gridTemplateColumns
    const initial = Number(handle.getAttribute('aria-valuenow'))
    expect(template()).toBe(`90px ${initial}px`)

    handle.focus()
    await userEvent.keyboard('{ArrowRight}{Shift>}{ArrowRight}{/Shift}')
    expect(handle).toHaveAttribute('aria-valuenow', String(initial + 60))
    expect(template()).toBe(`90px ${initial + 60}px`)
    // The grid's own arrow keys did not move its active cell meanwhile.
    const grid = screen.getByRole('grid')
    expect(document.getElementById(grid.getAttribute('aria-activedescendant')!)).toHaveTextContent('1')

    await userEvent.keyboard('{Shift>}' + '{ArrowLeft}'.repeat(10) + '{/Shift}')
    expect(handle).toHaveAttribute('aria-valuenow', '50')
    await userEvent.keyboard('{Home}')
    expect(handle).toHaveAttribute('aria-valuenow', String(initial))
  })

  it('right-aligns numeric types only', () => {
    for (const type of ['INTEGER', 'BIGINT', 'UTINYINT', 'HUGEINT', 'DOUBLE', 'FLOAT', 'DECIMAL(18,3)', 'int64', 'uint8', 'float32']) {
      expect(isNumericType(type), type).toBe(true)
    }
    for (const type of ['INTERVAL', 'INTEGER[]', 'VARCHAR', 'STRUCT(a INTEGER)', 'MAP(VARCHAR, INTEGER)', 'POINT', undefined]) {
      expect(isNumericType(type), String(type)).toBe(false)
    }
  })
})
