import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { compareValues, DataGrid } from './DataGrid'
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
})
