// Who is using the app. When the server needs tokens, nothing but the login screen shows until a
// token is accepted; the token then rides on every request (api/client.ts) and lives in this
// tab's sessionStorage, or localStorage if the user asks to stay signed in.
import { useQueryClient } from '@tanstack/react-query'
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, ApiError, credentials, data } from '../api/client'
import { capabilitiesOf, UNRESTRICTED, type Capabilities } from './capabilities'
import { Login } from './Login'
import { endSession } from './session'
import { ErrorMessage } from '../ui/ErrorMessage'
import { withStorage } from '../ui/storage'

const TOKEN_KEY = 'ducklake.token'

type State =
  | { status: 'checking' }
  | { status: 'login'; reason?: string }
  | { status: 'ready'; capabilities: Capabilities }
  | { status: 'failed'; error: unknown }

interface Session {
  capabilities: Capabilities
  signOut(): void
}

const SessionContext = createContext<Session>({ capabilities: UNRESTRICTED, signOut: () => {} })

/** What the caller may do; pages hide the actions it rules out. */
export function useCapabilities(): Capabilities {
  return useContext(SessionContext).capabilities
}

export function useSession(): Session {
  return useContext(SessionContext)
}

function storedToken(): string | null {
  return withStorage(() => sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY), null)
}

function forgetToken() {
  withStorage(() => sessionStorage.removeItem(TOKEN_KEY), undefined)
  withStorage(() => localStorage.removeItem(TOKEN_KEY), undefined)
  credentials.token = null
}

async function loadCapabilities(): Promise<Capabilities> {
  const me = data(await api.GET('/api/v1/whoami'))
  if (!me.authenticated) return UNRESTRICTED
  const grants = data(await api.GET('/api/v1/grants'))
  return capabilitiesOf(me.user, me.groups ?? [], grants.grants)
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'checking' })
  const queryClient = useQueryClient()

  const check = useCallback(async (reasonIfRefused?: string) => {
    try {
      setState({ status: 'ready', capabilities: await loadCapabilities() })
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        forgetToken()
        setState({ status: 'login', reason: reasonIfRefused })
      } else {
        setState({ status: 'failed', error })
      }
    }
  }, [])

  useEffect(() => {
    credentials.token = storedToken()
    credentials.onUnauthorized = () => {
      forgetToken()
      endSession()
      queryClient.clear()
      setState({ status: 'login', reason: 'Your token was refused (expired or revoked). Sign in again.' })
    }
    void check()
  }, [check, queryClient])

  const signIn = async (token: string, remember: boolean) => {
    forgetToken()
    credentials.token = token
    withStorage(() => (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, token), undefined)
    await check('The server did not accept this token.')
  }

  const signOut = useCallback(() => {
    forgetToken()
    endSession()
    queryClient.clear()
    setState({ status: 'login' })
  }, [queryClient])

  switch (state.status) {
    case 'checking':
      return <p className="page-status" role="status">Connecting to DuckLake…</p>
    case 'login':
      return <Login reason={state.reason} onSubmit={signIn} />
    case 'failed':
      return (
        <main className="page">
          <ErrorMessage error={state.error} />
          <button type="button" onClick={() => void check()}>
            Try again
          </button>
        </main>
      )
    case 'ready':
      return (
        <SessionContext.Provider value={{ capabilities: state.capabilities, signOut }}>{children}</SessionContext.Provider>
      )
  }
}
