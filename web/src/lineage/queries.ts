// The lineage page's reads, one hook each, so pages share react-query's cache.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { api, ApiError, data, encodeKey, rawFetch, type Schemas } from '../api/client'
import { useVolumes } from '../api/queries'
import { objectCandidates, type ObjectPlace } from './links'

const PAGE = 20

async function fetchGraph(nodeId: string, depth: number, signal: AbortSignal) {
  return data(await api.GET('/api/v1/lineage', { params: { query: { nodeId, depth } }, signal }))
}

async function fetchColumns(fieldId: string, signal: AbortSignal) {
  return data(await api.GET('/api/v1/column-lineage', { params: { query: { nodeId: fieldId, withDownstream: true } }, signal }))
}

// The shapes as the typed client reads them (it leaves out the fields that are always null).
export type LineageGraphData = Awaited<ReturnType<typeof fetchGraph>>
export type ColumnGraphData = Awaited<ReturnType<typeof fetchColumns>>

export function useLineageGraph(nodeId: string, depth: number) {
  return useQuery({
    queryKey: ['lineage', 'graph', nodeId, depth],
    queryFn: ({ signal }) => fetchGraph(nodeId, depth, signal),
    // Changing the depth keeps the old graph on screen until the new one arrives; another node does not.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === nodeId ? previous : undefined),
  })
}

export function useColumnLineage(fieldId: string | null) {
  return useQuery({
    queryKey: ['lineage', 'columns', fieldId],
    enabled: fieldId !== null,
    queryFn: ({ signal }) => fetchColumns(fieldId!, signal),
  })
}

/** A job's runs, newest first, a page at a time. */
export function useJobRuns(namespace: string, job: string) {
  return useInfiniteQuery({
    queryKey: ['lineage', 'runs', namespace, job],
    initialPageParam: 0,
    queryFn: async ({ pageParam, signal }) =>
      data(
        await api.GET('/marquez/api/v1/namespaces/{ns}/jobs/{job}/runs', {
          params: { path: { ns: namespace, job }, query: { limit: PAGE, offset: pageParam } },
          signal,
        }),
      ),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, page) => sum + page.runs.length, 0)
      return last.runs.length > 0 && loaded < last.totalCount ? loaded : undefined
    },
  })
}

/** A dataset's versions (one per completed run that wrote it), newest first. */
export function useDatasetVersions(namespace: string, dataset: string) {
  return useInfiniteQuery({
    queryKey: ['lineage', 'versions', namespace, dataset],
    initialPageParam: 0,
    queryFn: async ({ pageParam, signal }) =>
      data(
        await api.GET('/marquez/api/v1/namespaces/{ns}/datasets/{ds}/versions', {
          params: { path: { ns: namespace, ds: dataset }, query: { limit: PAGE, offset: pageParam } },
          signal,
        }),
      ),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, page) => sum + page.versions.length, 0)
      return last.versions.length > 0 && loaded < last.totalCount ? loaded : undefined
    },
  })
}

export function useMarquezSearch(q: string, filter?: 'DATASET' | 'JOB', limit = 50) {
  return useQuery({
    queryKey: ['lineage', 'search', q, filter, limit],
    enabled: q !== '',
    queryFn: async ({ signal }) =>
      data(await api.GET('/marquez/api/v1/search', { params: { query: { q, filter, limit } }, signal })),
  })
}

/** The volume object a dataset is, confirmed by the object's own lineage node id (a path alone can
 *  match more than one split); null when no object of a readable volume is that dataset. */
export function useObjectOfDataset(dataset: { namespace: string; name: string }, nodeId: string) {
  const volumes = useVolumes()
  const candidates = volumes.data ? objectCandidates(dataset.namespace, dataset.name, volumes.data.volumes) : []
  return useQuery({
    queryKey: ['lineage', 'object-of', nodeId, candidates],
    enabled: volumes.isSuccess,
    queryFn: async ({ signal }): Promise<ObjectPlace | null> => {
      for (const candidate of candidates) {
        const response = await rawFetch(
          `/api/v1/volumes/${encodeURIComponent(candidate.volume)}/objects/${encodeKey(candidate.key)}?metadata=1`,
          { signal },
        ).catch((error: unknown) => {
          // Not this split (or the object is gone): try the next one.
          if (error instanceof ApiError && error.status === 404) return null
          throw error
        })
        if (!response) continue
        const object = (await response.json()) as Schemas['ObjectDescription']
        if (object.lineage.node_id === nodeId) return candidate
      }
      return null
    },
  })
}
