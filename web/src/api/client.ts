// The one typed client of DuckLake's REST API. Paths, parameters and bodies are typed by
// schema.gen.ts, which `npm run gen:api` makes from docs/openapi.json before every build and test:
// a response shape the server changes breaks the build here, not a page at run time.
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema.gen'

export type Schemas = components['schemas']
export type Problem = Schemas['Problem']

/** An answer of 4xx/5xx, from the server's application/problem+json (or made up for a network
 *  failure, status 0). Pages show `message`; `status` says what kind of failure it was. */
export class ApiError extends Error {
  readonly status: number
  readonly title: string
  readonly detail: string
  readonly instance: string

  constructor(problem: Problem) {
    super(problem.detail || problem.title)
    this.name = 'ApiError'
    this.status = problem.status
    this.title = problem.title
    this.detail = problem.detail
    this.instance = problem.instance
  }

  /** Reads a failed response's problem document; a body that is not one still gives a readable error. */
  static async from(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '')
    try {
      const body = JSON.parse(text) as Partial<Problem>
      if (typeof body.detail === 'string' || typeof body.title === 'string') {
        return new ApiError({
          type: body.type ?? 'about:blank',
          title: body.title ?? response.statusText,
          status: body.status ?? response.status,
          detail: body.detail ?? '',
          instance: body.instance ?? new URL(response.url || '/', location.origin).pathname,
        })
      }
    } catch {
      // not JSON: fall through
    }
    return new ApiError({
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: text.slice(0, 300) || `the server answered ${response.status}`,
      instance: '',
    })
  }

  static network(cause: unknown): ApiError {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: `the server could not be reached (${reason})`,
      instance: '',
    })
  }
}

/** Where the bearer token lives. The login screen sets it; a 401 clears it. */
export const credentials = {
  token: null as string | null,
  /** Called after the server answers 401 to a request that carried a token. */
  onUnauthorized: (() => {}) as () => void,
}

export function authHeaders(): Record<string, string> {
  return credentials.token ? { Authorization: `Bearer ${credentials.token}` } : {}
}

const auth: Middleware = {
  onRequest({ request }) {
    if (credentials.token) request.headers.set('Authorization', `Bearer ${credentials.token}`)
    return request
  },
  async onResponse({ response }) {
    if (response.ok) return response
    if (response.status === 401) credentials.onUnauthorized()
    throw await ApiError.from(response)
  },
  onError({ error }) {
    return error instanceof ApiError ? error : ApiError.network(error)
  },
}

// Absolute, so the same client works in tests (Node's fetch resolves no relative URL). fetch is
// looked up at each call, not once here, so that tests can hold back or fail a request.
export const api = createClient<paths>({ baseUrl: location.origin, fetch: (request) => globalThis.fetch(request) })
api.use(auth)

/** fetch() for the few calls the typed client does not cover (streams, raw bodies), with the same
 *  token and the same errors. */
export async function rawFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  for (const [name, value] of Object.entries(authHeaders())) headers.set(name, value)
  let response: Response
  try {
    response = await fetch(new URL(input, location.origin), { ...init, headers })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw ApiError.network(error)
  }
  if (!response.ok) {
    if (response.status === 401) credentials.onUnauthorized()
    throw await ApiError.from(response)
  }
  return response
}

/** The data of a typed call; its error is already thrown by the middleware. */
export function data<T>(result: { data?: T; error?: unknown }): T {
  if (result.error !== undefined) throw result.error
  return result.data as T
}

/** Path segments of an object key or a prefix, each percent-encoded, joined by '/'. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}
