// What the run and version tables share: a failed run's message under its row, and the footer of
// a list read a page at a time.
import { ErrorMessage } from '../ui/ErrorMessage'

/** The row under a failed run's row that says why it failed. */
export function RunErrorRow({ error, columns }: { error: string | null | undefined; columns: number }) {
  if (!error) return null
  return (
    <tr className="run-error">
      <td colSpan={columns}>
        <pre>{error}</pre>
      </td>
    </tr>
  )
}

interface PagedQuery {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  isFetchNextPageError: boolean
  error: unknown
  fetchNextPage(): Promise<unknown>
}

/** "n of m things", and a button for the next page while there is one. */
export function PagingFooter({ query, shown, total, noun }: { query: PagedQuery; shown: number; total: number; noun: string }) {
  return (
    <>
      {query.isFetchNextPageError && <ErrorMessage error={query.error} />}
      <div className="toolbar">
        <span className="muted">
          {shown} of {total} {noun}
        </span>
        {query.hasNextPage && (
          <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? 'Loading…' : `More ${noun}`}
          </button>
        )}
      </div>
    </>
  )
}
