// A chart of the result: bar, line or scatter, of one or more numeric columns against another.
// chart.js comes in its own chunk the first time a chart opens.
import type { Chart as ChartInstance } from 'chart.js'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ResultColumn, Row } from '../api/query'
import { ErrorMessage } from '../ui/ErrorMessage'
import { formatCount } from '../ui/format'
import {
  CHART_KINDS,
  CHART_MAX_ROWS,
  describeChart,
  isNumericType,
  shapeChartData,
  summarizeChart,
  type ChartKind,
  type ChartSpec,
} from './chartData'

type ChartLibrary = typeof import('./chartjs')

interface Props {
  columns: ResultColumn[]
  rows: Row[]
  /** Bumped while rows stream in. */
  version: number
}

// Tell-apart colours that read on the light and the dark background.
const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#ec4899', '#84cc16']

function initialSpec(columns: ResultColumn[], numeric: number[]): ChartSpec {
  // Most results to chart are "a label and its numbers": x is the first column that is not a number.
  const label = columns.findIndex((column) => !isNumericType(column.type))
  const x = label >= 0 ? label : 0
  const y = numeric.find((index) => index !== x)
  return { kind: 'bar', x, ys: y === undefined ? [] : [y] }
}

export function ResultChart({ columns, rows, version }: Props) {
  const id = useId()
  const numeric = useMemo(() => columns.flatMap((column, index) => (isNumericType(column.type) ? [index] : [])), [columns])
  const [spec, setSpec] = useState(() => initialSpec(columns, numeric))
  const [library, setLibrary] = useState<ChartLibrary | null>(null)
  const [problem, setProblem] = useState<unknown>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const chart = useRef<ChartInstance | null>(null)

  const shaped = useMemo(
    () => shapeChartData(columns, rows, spec),
    // `version`: the rows array grew in place
    [columns, rows, version, spec],
  )

  useEffect(() => {
    let live = true
    import('./chartjs').then(
      (loaded) => live && setLibrary(loaded),
      (error: unknown) => live && setProblem(error),
    )
    return () => {
      live = false
    }
  }, [])

  useEffect(() => {
    const element = canvas.current
    if (!library || !element) return
    if (!element.getContext('2d')) {
      setProblem(new Error('This browser cannot draw on a canvas; the chart is described in words below.'))
      return
    }
    const style = getComputedStyle(element)
    const text = style.getPropertyValue('--fg-soft').trim() || '#5b6576'
    const grid = style.getPropertyValue('--line').trim() || '#d8dee8'
    const axis = { ticks: { color: text }, grid: { color: grid }, title: { display: true, color: text, text: '' } }
    const instance = new library.Chart(element, {
      type: spec.kind,
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { ...axis, type: spec.kind === 'scatter' ? 'linear' : 'category' }, y: { ...axis, type: 'linear' } },
        plugins: { legend: { labels: { color: text } } },
      },
    })
    chart.current = instance
    return () => {
      instance.destroy()
      chart.current = null
    }
  }, [library, spec.kind])

  useEffect(() => {
    const instance = chart.current
    if (!instance) return
    const many = shaped.points > 500
    instance.data.labels = shaped.labels
    instance.data.datasets = shaped.series.map((series, index) => ({
      label: series.label,
      data: series.data,
      backgroundColor: PALETTE[index % PALETTE.length],
      borderColor: PALETTE[index % PALETTE.length],
      borderWidth: spec.kind === 'bar' ? 0 : 1.5,
      pointRadius: spec.kind === 'line' && many ? 0 : 2.5,
    })) as typeof instance.data.datasets
    const xScale = instance.options.scales?.x
    if (xScale && 'title' in xScale && xScale.title) xScale.title.text = columns[spec.x].name
    instance.update('none')
  }, [library, shaped, spec.kind, spec.x, columns])

  const xChoices = spec.kind === 'scatter' ? numeric : columns.map((_, index) => index)
  const yChoices = numeric.filter((index) => index !== spec.x)

  const setKind = (kind: ChartKind) =>
    setSpec((current) => {
      if (kind !== 'scatter' || numeric.includes(current.x)) return { ...current, kind }
      // A scatter chart needs a number on x too: take one that is not drawn on y.
      const x = numeric.find((index) => !current.ys.includes(index)) ?? numeric[0]
      return { kind, x, ys: current.ys.filter((index) => index !== x) }
    })
  const setX = (x: number) => setSpec((current) => ({ ...current, x, ys: current.ys.filter((index) => index !== x) }))
  const toggleY = (y: number, on: boolean) =>
    setSpec((current) => ({
      ...current,
      ys: on ? [...current.ys, y].sort((a, b) => a - b) : current.ys.filter((index) => index !== y),
    }))

  if (numeric.length === 0) {
    return <p className="muted">The result has no numeric column to chart.</p>
  }

  const name = spec.ys.length > 0 ? describeChart(columns, spec, shaped) : 'Empty chart: no column chosen for the y axis'
  const summary = spec.ys.length > 0 ? summarizeChart(shaped) : ''

  return (
    <div className="sql-chart">
      <div className="toolbar sql-chart-controls">
        <label>
          Chart type{' '}
          <select value={spec.kind} onChange={(event) => setKind(event.target.value as ChartKind)}>
            {CHART_KINDS.map((option) => (
              <option key={option.kind} value={option.kind} disabled={option.kind === 'scatter' && numeric.length < 2}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          X axis{' '}
          <select value={spec.x} onChange={(event) => setX(Number(event.target.value))}>
            {xChoices.map((index) => (
              <option key={index} value={index}>
                {columns[index].name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="sql-chart-ys">
          <legend>Y axis</legend>
          {yChoices.map((index) => (
            <label key={index}>
              <input
                type="checkbox"
                checked={spec.ys.includes(index)}
                onChange={(event) => toggleY(index, event.target.checked)}
              />
              {columns[index].name}
            </label>
          ))}
        </fieldset>
      </div>
      {problem !== null && <ErrorMessage error={problem} />}
      {spec.ys.length === 0 && <p className="muted">Choose at least one column for the y axis.</p>}
      {library === null && problem === null && (
        <p className="muted" role="status">
          Loading the chart…
        </p>
      )}
      <div className="sql-chart-canvas">
        <canvas ref={canvas} role="img" aria-label={name} aria-describedby={`${id}-summary`} />
      </div>
      <p id={`${id}-summary`} className="muted sql-chart-summary">
        {summary}
        {shaped.skipped > 0 &&
          ` The chart leaves out ${formatCount(shaped.skipped)} ${shaped.skipped === 1 ? 'row' : 'rows'}` +
            (rows.length > CHART_MAX_ROWS ? ` (it draws at most the first ${formatCount(CHART_MAX_ROWS)}).` : ' without an x value.')}
      </p>
    </div>
  )
}
