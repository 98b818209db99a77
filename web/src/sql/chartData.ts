// A result turned into what a chart draws: pure, so it is tested without a canvas or chart.js.
import type { ResultColumn, Row } from '../api/query'
import { formatCell, formatCount } from '../ui/format'

export type ChartKind = 'bar' | 'line' | 'scatter'

export const CHART_KINDS: { kind: ChartKind; label: string }[] = [
  { kind: 'bar', label: 'Bar' },
  { kind: 'line', label: 'Line' },
  { kind: 'scatter', label: 'Scatter' },
]

/** Charts draw at most this many rows: more points than pixels say nothing more. */
export const CHART_MAX_ROWS = 10_000

export interface ChartSpec {
  kind: ChartKind
  /** Index of the x column. */
  x: number
  /** Indexes of the y columns. */
  ys: number[]
}

export interface ShapedChart {
  /** The x values as labels (bar and line). */
  labels: string[]
  series: { label: string; data: (number | null)[] | { x: number; y: number | null }[] }[]
  /** Rows drawn. */
  points: number
  /** Rows of the result left out: past CHART_MAX_ROWS, or without an x value in a scatter chart. */
  skipped: number
}

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|VARINT|BIGNUM)$/i

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim())
}

/** A cell as a number: wide integers and decimals arrive as strings, NaN and ±Inf as their names. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    return Number.isFinite(number) ? number : null
  }
  if (typeof value === 'boolean') return Number(value)
  return null
}

export function shapeChartData(columns: ResultColumn[], rows: Row[], spec: ChartSpec, maxRows = CHART_MAX_ROWS): ShapedChart {
  const drawn = rows.length > maxRows ? rows.slice(0, maxRows) : rows
  let skipped = rows.length - drawn.length
  if (spec.kind === 'scatter') {
    const withX = drawn.filter((row) => toNumber(row[spec.x]) !== null)
    skipped += drawn.length - withX.length
    return {
      labels: [],
      series: spec.ys.map((y) => ({
        label: columns[y].name,
        data: withX.map((row) => ({ x: toNumber(row[spec.x])!, y: toNumber(row[y]) })),
      })),
      points: withX.length,
      skipped,
    }
  }
  return {
    labels: drawn.map((row) => formatCell(row[spec.x])),
    series: spec.ys.map((y) => ({ label: columns[y].name, data: drawn.map((row) => toNumber(row[y])) })),
    points: drawn.length,
    skipped,
  }
}

function range(values: (number | null)[]): string {
  let min = Infinity
  let max = -Infinity
  for (const value of values) {
    if (value === null) continue
    if (value < min) min = value
    if (value > max) max = value
  }
  return min <= max ? `from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}` : 'no numbers'
}

/** The chart in words: its accessible name. */
export function describeChart(columns: ResultColumn[], spec: ChartSpec, shaped: ShapedChart): string {
  const kind = CHART_KINDS.find((option) => option.kind === spec.kind)!.label
  const ys = spec.ys.map((y) => columns[y].name).join(', ')
  const points = `${formatCount(shaped.points)} ${shaped.points === 1 ? 'point' : 'points'}`
  return `${kind} chart of ${ys} by ${columns[spec.x].name}, ${points}`
}

/** The values' ranges, the chart's text alternative beside its name. */
export function summarizeChart(shaped: ShapedChart): string {
  return shaped.series
    .map((series) => {
      const values = series.data.map((point) => (typeof point === 'object' && point !== null ? point.y : point))
      return `${series.label} ${range(values)}`
    })
    .join('; ')
}
