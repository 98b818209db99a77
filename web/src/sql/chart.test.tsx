import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderAt } from '../../test/render'
import { describeChart, isNumericType, shapeChartData, summarizeChart, toNumber } from './chartData'
import { runInEditor, waitForStatus } from './testing'

const columns = [
  { name: 'region', type: 'VARCHAR' },
  { name: 'total', type: 'HUGEINT' },
  { name: 'price', type: 'DECIMAL(10,2)' },
  { name: 'ratio', type: 'DOUBLE' },
]
const rows = [
  ['north', '170141183460469231731687303715884105727', '1.50', 0.5],
  ['south', '12', null, 'NaN'],
  [null, '-3', '-0.25', 'Infinity'],
  ['west', null, '2.00', 1],
]

describe('chart data', () => {
  it('knows the numeric result types', () => {
    for (const type of ['TINYINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT', 'DOUBLE', 'FLOAT', 'DECIMAL(18,2)', 'INTEGER']) {
      expect(isNumericType(type)).toBe(true)
    }
    for (const type of ['VARCHAR', 'DATE', 'INTEGER[]', 'STRUCT(a INTEGER)', 'BOOLEAN', 'INTERVAL']) {
      expect(isNumericType(type)).toBe(false)
    }
  })

  it('turns strings of wide integers and decimals into numbers, and what is no number into a gap', () => {
    expect(toNumber('12')).toBe(12)
    expect(toNumber('-0.25')).toBe(-0.25)
    expect(toNumber('18446744073709551615')).toBe(18446744073709551615)
    expect(toNumber('NaN')).toBeNull()
    expect(toNumber('Infinity')).toBeNull()
    expect(toNumber(null)).toBeNull()
    expect(toNumber('')).toBeNull()
    expect(toNumber('abc')).toBeNull()
    expect(toNumber(Number.NaN)).toBeNull()
  })

  it('shapes bar and line charts as labels and one series per y column', () => {
    const shaped = shapeChartData(columns, rows, { kind: 'bar', x: 0, ys: [1, 2] })
    expect(shaped.labels).toEqual(['north', 'south', 'NULL', 'west'])
    expect(shaped.series).toEqual([
      { label: 'total', data: [1.7014118346046923e38, 12, -3, null] },
      { label: 'price', data: [1.5, null, -0.25, 2] },
    ])
    expect(shaped.points).toBe(4)
    expect(shaped.skipped).toBe(0)
    expect(describeChart(columns, { kind: 'bar', x: 0, ys: [1, 2] }, shaped)).toBe('Bar chart of total, price by region, 4 points')
    expect(summarizeChart(shaped)).toBe('total from -3 to 170,141,183,460,469,230,000,000,000,000,000,000,000; price from -0.25 to 2')
  })

  it('shapes scatter charts as points, leaving out rows without an x, and draws at most the first rows', () => {
    const shaped = shapeChartData(columns, rows, { kind: 'scatter', x: 2, ys: [3] })
    expect(shaped.series).toEqual([
      {
        label: 'ratio',
        data: [
          { x: 1.5, y: 0.5 },
          { x: -0.25, y: null },
          { x: 2, y: 1 },
        ],
      },
    ])
    expect(shaped.skipped).toBe(1)

    const many = Array.from({ length: 50 }, (_, i) => [String(i), i, i, i])
    const capped = shapeChartData(columns, many, { kind: 'line', x: 0, ys: [3] }, 20)
    expect(capped.points).toBe(20)
    expect(capped.skipped).toBe(30)
    expect(capped.labels.at(-1)).toBe('19')
  })
})

describe('chart view', () => {
  beforeEach(() => {
    // jsdom draws nothing: a context that accepts every call lets chart.js build its chart.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
      const target = { canvas: this, measureText: () => ({ width: 10 }) }
      return new Proxy(target, {
        get: (object, key) => (key in object ? object[key as keyof typeof object] : () => {}),
        set: () => true,
      }) as unknown as CanvasRenderingContext2D
    })
    if (!('ResizeObserver' in window)) {
      vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} })
    }
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })

  it('charts a result with named, described canvases and the chosen columns', async () => {
    renderAt('/sql')
    await runInEditor(
      "SELECT * FROM (VALUES ('north', 10, 2.5::DECIMAL(10,2)), ('south', 20, NULL), ('east', 5, 1.25)) AS t(region, total, avg_price)",
    )
    await waitForStatus(/^3 rows in/)
    await userEvent.click(screen.getByRole('tab', { name: 'Chart' }))

    const canvas = await screen.findByRole('img', { name: 'Bar chart of total by region, 3 points' })
    expect(canvas.tagName).toBe('CANVAS')
    expect(canvas).toHaveAccessibleDescription('total from 5 to 20')
    const { Chart } = await import('./chartjs')
    await waitFor(() => expect(Chart.getChart(canvas as HTMLCanvasElement)?.data.datasets[0]?.data).toEqual([10, 20, 5]))
    expect(Chart.getChart(canvas as HTMLCanvasElement)!.data.labels).toEqual(['north', 'south', 'east'])

    await userEvent.click(screen.getByRole('checkbox', { name: 'avg_price' }))
    expect(screen.getByRole('img', { name: 'Bar chart of total, avg_price by region, 3 points' })).toBeInTheDocument()
    await waitFor(() => expect(Chart.getChart(canvas as HTMLCanvasElement)?.data.datasets[1]?.data).toEqual([2.5, null, 1.25]))

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Chart type' }), 'Scatter')
    const scatter = screen.getByRole('img', { name: 'Scatter chart of avg_price by total, 3 points' })
    await waitFor(() =>
      expect(Chart.getChart(scatter as HTMLCanvasElement)?.data.datasets[0]?.data).toEqual([
        { x: 10, y: 2.5 },
        { x: 20, y: null },
        { x: 5, y: 1.25 },
      ]),
    )
    expect(screen.getByRole('combobox', { name: 'X axis' })).toHaveDisplayValue('total')
  })
})
