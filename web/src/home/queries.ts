// The home page's own reads (the lake's namespaces and volumes are the shared ones of
// api/queries.ts). Each part fails on its own, so one refusal hides one card, not the page.
import { useQuery } from '@tanstack/react-query'
import { api, ApiError, data, type Schemas } from '../api/client'

export const RECENT_SNAPSHOTS = 5
export const RECENT_RUNS = 8
/** Events looked through for the recent runs: a run has two (START and its end) or a few more. */
const RECENT_EVENTS = 100

export function useRecentSnapshots(enabled: boolean) {
  return useQuery({
    queryKey: ['snapshots', { limit: RECENT_SNAPSHOTS }],
    enabled,
    queryFn: async ({ signal }) =>
      data(await api.GET('/api/v1/snapshots', { params: { query: { limit: RECENT_SNAPSHOTS } }, signal })),
  })
}

export function useRecentEvents(enabled: boolean) {
  return useQuery({
    queryKey: ['lineage', 'events', { limit: RECENT_EVENTS }],
    enabled,
    queryFn: async ({ signal }) =>
      data(await api.GET('/marquez/api/v1/events/lineage', { params: { query: { limit: RECENT_EVENTS } }, signal })),
  })
}

export function useHealth() {
  return useQuery({
    queryKey: ['healthz'],
    queryFn: async ({ signal }) => data(await api.GET('/healthz', { signal })),
  })
}

function unavailable(text: string): Schemas['Readiness'] | null {
  try {
    const body = JSON.parse(text) as Partial<Schemas['Readiness']>
    return body.status === 'unavailable' && body.checks ? (body as Schemas['Readiness']) : null
  } catch {
    return null
  }
}

/** Readiness, also when the server says it is not ready: a 503 carries the failing check. */
export function useReadiness() {
  return useQuery({
    queryKey: ['readyz'],
    retry: false,
    queryFn: async ({ signal }): Promise<Schemas['Readiness']> => {
      try {
        return data(await api.GET('/readyz', { signal }))
      } catch (error) {
        const readiness = error instanceof ApiError && error.status === 503 ? unavailable(error.detail) : null
        if (readiness) return readiness
        throw error
      }
    },
  })
}
