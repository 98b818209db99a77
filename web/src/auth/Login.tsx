import { useState, type FormEvent } from 'react'

interface Props {
  reason?: string
  onSubmit(token: string, remember: boolean): Promise<void>
}

/** The token is the credential: the admin makes one with `POST /api/v1/tokens` (docs/API.md). */
export function Login({ reason, onSubmit }: Props) {
  const [token, setToken] = useState('')
  const [remember, setRemember] = useState(false)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    try {
      await onSubmit(token.trim(), remember)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to DuckLake</h1>
        <p>This server needs an access token. Ask your DuckLake admin for one.</p>
        {reason && (
          <p role="alert" className="error">
            {reason}
          </p>
        )}
        <label>
          Access token
          <input
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
            autoFocus
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
          Stay signed in on this browser
        </label>
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
