// The grid every result, preview and listing of rows is shown in: virtualised (only the rows on
// screen are in the DOM, so 1,000,000 rows scroll like 100), sortable by clicking a header,
// columns resizable by mouse, touch or keyboard, and navigable with the arrow keys, Home/End and
// PageUp/PageDown.
//
// TanStack Table holds the column model (headers, sizing, sort state). Its row model is not
// used: it makes an object with a dozen closures per row, which at a million streamed rows costs
// gigabytes. Rows stay plain arrays and sorting is an index permutation instead.
import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnSizingState,
  type SortingState,
} from '@tanstack/react-table'
import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual'
import { useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { formatCell } from './format'

export interface GridColumn {
  name: string
  type?: string
}

export interface DataGridProps {
  columns: GridColumn[]
  rows: unknown[][]
  /** Bump when rows were appended to the same array (streaming), so the grid shows them. */
  version?: number
  /** Accessible name of the grid. */
  label: string
  sortable?: boolean
  height?: number
  renderCell?(value: unknown, row: unknown[], column: number): ReactNode
  /** A class for a row (by its data, e.g. a diff's change type). */
  rowClassName?(row: unknown[]): string | undefined
}

const ROW_HEIGHT = 28
const MIN_COLUMN_WIDTH = 50
/** How far one arrow key press on a column's resize handle moves its edge (with Shift: 5×). */
const RESIZE_STEP = 10
// DuckDB's numeric types (DECIMAL with its width and scale) and the Arrow-style names (int64, float32):
// whole names only, so INTERVAL and INTEGER[] stay left-aligned.
const NUMERIC =
  /^(?:U?(?:TINY|SMALL|BIG|HUGE)?INT(?:EGER|\d+)?|FLOAT\d*|DOUBLE|REAL|(?:DECIMAL|NUMERIC)(?:\(\d+,\s*\d+\))?)$/i

export function isNumericType(type: string | undefined): boolean {
  return type !== undefined && NUMERIC.test(type.trim())
}

/** A value as the grid sorts it: a number where it reads as one (wide integers and decimals arrive
 *  as strings), else its text; null for NULL. */
export type SortKey = number | string | null

export function sortKey(value: unknown): SortKey {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value
  if (typeof value === 'boolean') return Number(value)
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  const number = text.trim() === '' ? Number.NaN : Number(text)
  return Number.isNaN(number) ? text : number
}

/** A total order: numbers before text, NULLs last. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

export function compareValues(a: unknown, b: unknown): number {
  return compareKeys(sortKey(a), sortKey(b))
}

/** The rows' order under one sort, with the sort keys it was made from. */
interface SortedRows {
  rows: unknown[][]
  column: number
  desc: boolean
  keys: SortKey[]
  order: number[]
}

/** Sorts `rows` by `column`, reusing `previous` where it can: the keys of the same rows array (which
 *  grows in place as a result streams in) are computed once, and rows appended since are sorted on
 *  their own and merged in, instead of sorting everything again for every batch. */
function sortRows(previous: SortedRows | null, rows: unknown[][], column: number, desc: boolean): SortedRows {
  const sameRows =
    previous !== null && previous.rows === rows && previous.column === column && previous.keys.length <= rows.length
  const keys = sameRows ? previous.keys : []
  for (let i = keys.length; i < rows.length; i++) keys.push(sortKey(rows[i][column]))
  const sign = desc ? -1 : 1
  const compare = (i: number, j: number) => {
    const a = keys[i]
    const b = keys[j]
    // NULLs last either way, as DuckDB orders them.
    if ((a === null) !== (b === null)) return a === null ? 1 : -1
    return sign * compareKeys(a, b) || i - j
  }
  if (sameRows && previous.desc === desc && previous.order.length <= rows.length) {
    if (previous.order.length === rows.length) return previous
    const added = Array.from({ length: rows.length - previous.order.length }, (_, i) => previous.order.length + i)
    added.sort(compare)
    const order: number[] = new Array(rows.length)
    let a = 0
    let b = 0
    for (let out = 0; out < order.length; out++) {
      order[out] =
        b >= added.length || (a < previous.order.length && compare(previous.order[a], added[b]) <= 0)
          ? previous.order[a++]
          : added[b++]
    }
    return { rows, column, desc, keys, order }
  }
  const order = Array.from({ length: rows.length }, (_, i) => i)
  order.sort(compare)
  return { rows, column, desc, keys, order }
}

export function DataGrid({
  columns,
  rows,
  version = 0,
  label,
  sortable = true,
  height = 420,
  renderCell,
  rowClassName,
}: DataGridProps) {
  const gridId = useId()
  const scrollRef = useRef<HTMLDivElement>(null)
  const [sorting, setSorting] = useState<SortingState>([])
  const [sizing, setSizing] = useState<ColumnSizingState>({})
  const [activeCell, setActive] = useState({ row: 0, column: 0 })

  const columnDefs = useMemo<ColumnDef<unknown[]>[]>(
    () =>
      columns.map((column, index) => ({
        id: String(index),
        accessorFn: (row) => row[index],
        header: column.name,
        meta: column,
        size: Math.min(320, Math.max(90, column.name.length * 9 + 40)),
        minSize: MIN_COLUMN_WIDTH,
      })),
    [columns],
  )
  const numeric = useMemo(() => columns.map((column) => isNumericType(column.type)), [columns])
  const table = useReactTable({
    data: [],
    columns: columnDefs,
    state: { sorting, columnSizing: sizing },
    onSortingChange: setSorting,
    onColumnSizingChange: setSizing,
    columnResizeMode: 'onChange',
    enableSorting: sortable,
    sortDescFirst: false,
    manualSorting: true,
    getCoreRowModel: getCoreRowModel(),
  })

  const sorted = useRef<SortedRows | null>(null)
  const order = useMemo(() => {
    const sort = sorting[0]
    if (!sort) {
      sorted.current = null
      return Array.from({ length: rows.length }, (_, i) => i)
    }
    sorted.current = sortRows(sorted.current, rows, Number(sort.id), sort.desc)
    return sorted.current.order
  }, [rows, version, sorting]) // `version`: the rows array grew in place

  // Rows and columns may have gone since the cell was chosen (a new result, a refetched listing).
  const active = {
    row: Math.max(0, Math.min(activeCell.row, order.length - 1)),
    column: Math.max(0, Math.min(activeCell.column, columns.length - 1)),
  }

  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The active row stays in the DOM when scrolled out of the window: aria-activedescendant must
    // name an element that exists.
    rangeExtractor: (range) => {
      const indexes = defaultRangeExtractor(range)
      if (order.length === 0 || indexes.includes(active.row)) return indexes
      return active.row < indexes[0] ? [active.row, ...indexes] : [...indexes, active.row]
    },
    // Rows show before the first layout measurement (and in tests, which have no layout).
    initialRect: { width: 800, height },
  })

  const headers = table.getFlatHeaders()
  const widths = headers.map((header) => header.getSize())
  const totalWidth = widths.reduce((sum, width) => sum + width, 0)
  const template = widths.map((width) => `${width}px`).join(' ')
  const cellId = (row: number, column: number) => `${gridId}-r${row}-c${column}`

  const move = (row: number, column: number) => {
    const next = {
      row: Math.max(0, Math.min(order.length - 1, row)),
      column: Math.max(0, Math.min(columns.length - 1, column)),
    }
    setActive(next)
    virtualizer.scrollToIndex(next.row)
  }

  const resizeBy = (columnId: string, width: number, delta: number) =>
    setSizing((previous) => ({ ...previous, [columnId]: Math.max(MIN_COLUMN_WIDTH, width + delta) }))

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 2)
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active.row + 1, active.column),
      ArrowUp: () => move(active.row - 1, active.column),
      ArrowRight: () => move(active.row, active.column + 1),
      ArrowLeft: () => move(active.row, active.column - 1),
      PageDown: () => move(active.row + page, active.column),
      PageUp: () => move(active.row - page, active.column),
      Home: () => move(event.ctrlKey ? 0 : active.row, 0),
      End: () => move(event.ctrlKey ? order.length - 1 : active.row, columns.length - 1),
    }
    const action = keys[event.key]
    if (action) {
      event.preventDefault()
      action()
    }
  }

  return (
    <div
      className="data-grid"
      role="grid"
      aria-label={label}
      aria-rowcount={order.length + 1}
      aria-colcount={columns.length}
      tabIndex={0}
      aria-activedescendant={order.length > 0 ? cellId(active.row, active.column) : undefined}
      onKeyDown={onKeyDown}
      ref={scrollRef}
      style={{ height, overflow: 'auto' }}
    >
      <div role="rowgroup" className="data-grid-head" style={{ width: totalWidth }}>
        <div role="row" aria-rowindex={1} className="data-grid-row" style={{ gridTemplateColumns: template }}>
          {headers.map((header, index) => {
            const column = columns[index]
            const sorted = header.column.getIsSorted()
            return (
              <div
                key={header.id}
                role="columnheader"
                // Named by the column alone, not by its content (type, sort arrow, resize handle).
                aria-label={column.name}
                aria-colindex={index + 1}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className="data-grid-header"
              >
                <button
                  type="button"
                  className="data-grid-sort"
                  disabled={!sortable}
                  onClick={header.column.getToggleSortingHandler()}
                  title={column.type ? `${column.name} (${column.type})` : column.name}
                >
                  <span className="data-grid-name">{column.name}</span>
                  {column.type && <span className="data-grid-type">{column.type}</span>}
                  <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                </button>
                {/* A focusable splitter (WAI-ARIA's window splitter): arrows move the column's right
                    edge, Home gives it back its first width. Its keys stay out of the grid's. */}
                <span
                  role="separator"
                  aria-orientation="vertical"
                  aria-label={`Width of ${column.name}`}
                  aria-valuenow={widths[index]}
                  aria-valuemin={MIN_COLUMN_WIDTH}
                  tabIndex={0}
                  className="data-grid-resizer"
                  onMouseDown={header.getResizeHandler()}
                  onTouchStart={header.getResizeHandler()}
                  onDoubleClick={() => header.column.resetSize()}
                  onKeyDown={(event) => {
                    const step = event.shiftKey ? 5 * RESIZE_STEP : RESIZE_STEP
                    const resize: Record<string, () => void> = {
                      ArrowRight: () => resizeBy(header.id, widths[index], step),
                      ArrowLeft: () => resizeBy(header.id, widths[index], -step),
                      Home: () => header.column.resetSize(),
                    }
                    const action = resize[event.key]
                    if (!action) return
                    event.preventDefault()
                    event.stopPropagation()
                    action()
                  }}
                />
              </div>
            )
          })}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), width: totalWidth, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[order[item.index]]
          return (
            <div
              key={item.index}
              role="row"
              aria-rowindex={item.index + 2}
              className={`data-grid-row ${rowClassName?.(row) ?? ''}`}
              style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              {columns.map((_, index) => {
                const value = row[index]
                const isActive = active.row === item.index && active.column === index
                return (
                  <div
                    key={index}
                    id={cellId(item.index, index)}
                    role="gridcell"
                    aria-colindex={index + 1}
                    className={`data-grid-cell${value === null ? ' null' : ''}${numeric[index] ? ' numeric' : ''}${isActive ? ' active' : ''}`}
                    onClick={() => setActive({ row: item.index, column: index })}
                  >
                    {renderCell ? renderCell(value, row, index) : formatCell(value)}
                  </div>
                )
              })}
            </div>
          )
        })}
      </div>
    </div>
  )
}
