import { ApiError } from '../api/client'
import { ErrorMessage } from '../ui/ErrorMessage'

/** A failed lineage read; a refusal also says why lineage is all or nothing. */
export function LineageError({ error }: { error: unknown }) {
  return (
    <>
      <ErrorMessage error={error} />
      {error instanceof ApiError && error.status === 403 && (
        <p className="muted">
          Lineage spans every namespace and volume, so reading it needs the reader role on the whole lake. A lake admin
          can grant it.
        </p>
      )}
    </>
  )
}
