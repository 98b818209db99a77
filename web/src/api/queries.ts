// The lake's routes as react-query reads them: one key and one query a route, holding the API's
// response body as it is, so every page reading a route shares its cache entry and one invalidation
// reaches all of them (an upload in Files refreshes the counts on Home and the ingest picker's
// listing). Keys follow the routes' paths, so a key is the prefix of the keys of what lies under it.
import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useQuery,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query'
import { api, data, type Schemas } from './client'

export const lakeKeys = {
  namespaces: ['namespaces'] as const,
  tables: (ns: string) => ['namespaces', ns, 'tables'] as const,
  table: (ns: string, table: string) => ['namespaces', ns, 'tables', table] as const,
  volumes: ['volumes'] as const,
  volume: (volume: string) => ['volumes', volume] as const,
  listings: (volume: string) => ['volumes', volume, 'listing'] as const,
  listing: (volume: string, prefix: string) => ['volumes', volume, 'listing', prefix] as const,
}

export const namespacesQuery = () =>
  queryOptions({
    queryKey: lakeKeys.namespaces,
    queryFn: async ({ signal }) => data(await api.GET('/api/v1/namespaces', { signal })),
  })

export const tablesQuery = (ns: string) =>
  queryOptions({
    queryKey: lakeKeys.tables(ns),
    queryFn: async ({ signal }) =>
      data(await api.GET('/api/v1/namespaces/{ns}/tables', { params: { path: { ns } }, signal })),
  })

export const tableQuery = (ns: string, table: string) =>
  queryOptions({
    queryKey: lakeKeys.table(ns, table),
    queryFn: async ({ signal }) =>
      data(await api.GET('/api/v1/namespaces/{ns}/tables/{table}', { params: { path: { ns, table } }, signal })),
  })

export const volumesQuery = () =>
  queryOptions({
    queryKey: lakeKeys.volumes,
    queryFn: async ({ signal }) => data(await api.GET('/api/v1/volumes', { signal })),
  })

/** The volume with what its index holds (object count and size). */
export const volumeQuery = (volume: string) =>
  queryOptions({
    queryKey: lakeKeys.volume(volume),
    queryFn: async ({ signal }) =>
      data(await api.GET('/api/v1/volumes/{vol}', { params: { path: { vol: volume } }, signal })),
  })

/** One page holds up to 1000 entries, the most the server gives. */
const LISTING_PAGE_SIZE = 1000

/** A folder's entries, a page at a time: `fetchNextPage` follows `next_cursor`. */
export const listingQuery = (volume: string, prefix: string) =>
  infiniteQueryOptions({
    queryKey: lakeKeys.listing(volume, prefix),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(
        await api.GET('/api/v1/volumes/{vol}/objects', {
          params: {
            path: { vol: volume },
            query: { prefix: prefix || undefined, delimiter: '/', cursor: pageParam, limit: LISTING_PAGE_SIZE },
          },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  })

export const useNamespaces = () => useQuery(namespacesQuery())
export const useTables = (ns: string | undefined) => useQuery({ ...tablesQuery(ns ?? ''), enabled: ns !== undefined })
export const useTable = (ns: string, table: string) => useQuery(tableQuery(ns, table))
export const useVolumes = () => useQuery(volumesQuery())
export const useVolume = (volume: string) => useQuery(volumeQuery(volume))
export const useListing = (volume: string, prefix: string) => useInfiniteQuery(listingQuery(volume, prefix))

/** After a change in a volume: its counts, listings and everything else kept under it, and the
 *  volume list. Listings go back to their first page first: an infinite query refetches every page
 *  it holds, one after the other (100 requests for a folder of 100,000 objects scrolled to its end),
 *  and all but the first would come back anyway as the user scrolls, with the change in its place. */
export function invalidateVolume(queryClient: QueryClient, volume: string) {
  queryClient.setQueriesData<ListingData>({ queryKey: lakeKeys.listings(volume) }, firstPageOnly)
  void queryClient.invalidateQueries({ queryKey: lakeKeys.volume(volume) })
  invalidateVolumes(queryClient)
}

type ListingData = InfiniteData<Schemas['ObjectListing'], string | undefined>

function firstPageOnly(listing: ListingData | undefined): ListingData | undefined {
  return listing && listing.pages.length > 1
    ? { pages: listing.pages.slice(0, 1), pageParams: listing.pageParams.slice(0, 1) }
    : listing
}

/** Before a folder is shown again: a stale listing would be refetched page after page, all it
 *  holds, before the user sees anything new; cut back to its first page (the rest come again as
 *  the user scrolls), as after a change. */
export function trimStaleListing(queryClient: QueryClient, volume: string, prefix: string) {
  const key = lakeKeys.listing(volume, prefix)
  const cached = queryClient.getQueryCache().find<ListingData>({ queryKey: key, exact: true })
  // By time: a query nobody watches (the folder was left) is never "stale" otherwise.
  const staleTime = queryClient.getDefaultOptions().queries?.staleTime
  const stale = cached?.isStaleByTime(typeof staleTime === 'number' ? staleTime : 0) ?? false
  if (!stale || (cached!.state.data?.pages.length ?? 0) <= 1) return
  queryClient.setQueryData<ListingData>(key, firstPageOnly)
  // setQueryData made it fresh again: the first page must still be asked for anew.
  void queryClient.invalidateQueries({ queryKey: key, exact: true, refetchType: 'none' })
}

/** After a volume was made or deleted. Only the list: every volume's own entries sit under its key. */
export function invalidateVolumes(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: lakeKeys.volumes, exact: true })
}
