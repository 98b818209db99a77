import { ApiError } from '../api/client'
import { ErrorMessage } from '../ui/ErrorMessage'

/** A part of the page that failed: a refusal (403) says politely what it needs, with the server's
 *  words; anything else is an error. */
export function Refusal({ error, needs }: { error: unknown; needs: string }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <p className="muted home-refused">
        Not shown: {needs}. <span className="home-refused-detail">({error.detail})</span>
      </p>
    )
  }
  return <ErrorMessage error={error} />
}
