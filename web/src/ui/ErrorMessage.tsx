import { ApiError } from '../api/client'

/** A failure as a person reads it: the server's problem detail, and what the status means. */
export function describeError(error: unknown): { headline: string; detail: string } {
  if (error instanceof ApiError) {
    const headline =
      error.status === 0
        ? 'The server could not be reached'
        : error.status === 401
          ? 'Sign-in needed'
          : error.status === 403
            ? 'Not allowed'
            : error.status === 404
              ? 'Not found'
              : error.status === 429
                ? 'Too many requests, try again in a moment'
                : `${error.title} (${error.status})`
    return { headline, detail: error.detail }
  }
  if (error instanceof DOMException && error.name === 'AbortError') return { headline: 'Cancelled', detail: '' }
  return { headline: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) }
}

export function ErrorMessage({ error, className }: { error: unknown; className?: string }) {
  const { headline, detail } = describeError(error)
  return (
    <div role="alert" className={`error-message ${className ?? ''}`}>
      <strong>{headline}</strong>
      {detail && <span>{detail}</span>}
    </div>
  )
}
