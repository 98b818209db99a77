// Reads a query result in DuckLake's `json` format ({"columns":[…],"rows":[[…],…]}) while it
// arrives, so the first rows can be shown long before the last is sent. Keeps the column order
// and types that the `ndjson` format would lose.

export interface ResultColumn {
  name: string
  type: string
}

export type Row = unknown[]

const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Feed it text as it comes (any split, even inside a string); it hands back whole rows. */
export class JsonResultParser {
  private buffer = ''
  private scanned = 0 // how far into `buffer` the row scanner has read
  private depth = 0 // bracket depth inside the rows array (0: between rows)
  private inString = false
  private escaped = false
  private rowStart = -1 // where the row being read starts in `buffer`
  private pendingStart = -1 // where the first row not yet handed back starts in `buffer`
  private columnsRead: ResultColumn[] | null = null
  private finished = false

  get columns(): ResultColumn[] | null {
    return this.columnsRead
  }

  /** The rows completed by `text`. Throws on text that is not a result document. */
  push(text: string): Row[] {
    this.buffer += text
    if (!this.columnsRead) {
      // Column names are escaped JSON strings, so the raw text `"rows":[` can only be the key.
      const at = this.buffer.indexOf('"rows":[')
      if (at < 0) {
        if (this.buffer.length > 1 << 24) throw new Error('the result has no rows array')
        return []
      }
      const head = JSON.parse(this.buffer.slice(0, at) + '"rows":[]}') as { columns?: ResultColumn[] }
      if (!Array.isArray(head.columns)) throw new Error('the result has no columns')
      this.columnsRead = head.columns
      this.buffer = this.buffer.slice(at + '"rows":['.length)
      this.scanned = 0
    }
    return this.scanRows()
  }

  /** Call at the end of the body: throws if the document was cut off. */
  end(): void {
    if (!this.columnsRead || !this.finished) {
      throw new Error('the result ended before it was complete (cut off by the server or the network)')
    }
  }

  private scanRows(): Row[] {
    const text = this.buffer
    let lastRowEnd = -1 // index just past the last complete row
    for (let i = this.scanned; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === BACKSLASH) this.escaped = true
        else if (c === QUOTE) this.inString = false
        continue
      }
      if (c === QUOTE) {
        this.inString = true
      } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
        if (this.depth === 0) {
          this.rowStart = i
          if (this.pendingStart < 0) this.pendingStart = i
        }
        this.depth++
      } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
        if (this.depth === 0) {
          // the end of the rows array, then of the document
          if (c === CLOSE_BRACKET) this.finished = true
          continue
        }
        this.depth--
        if (this.depth === 0) lastRowEnd = i + 1
      }
    }
    this.scanned = text.length
    if (lastRowEnd < 0) return []
    // One native parse per chunk: the rows between are separated by commas, so the slice is the
    // body of an array.
    const rows = JSON.parse('[' + text.slice(this.pendingStart, lastRowEnd) + ']') as Row[]
    this.buffer = text.slice(lastRowEnd)
    this.scanned -= lastRowEnd
    this.pendingStart = this.depth > 0 ? this.rowStart - lastRowEnd : -1
    return rows
  }
}
