// The Files section's reads, shared through react-query's cache. Every key of one volume starts with
// fileKeys.volume(vol), so a change in a volume invalidates all that may show it in one call.
import { useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import { api, data, type Schemas } from '../api/client'
import { objectPathSerializer } from './paths'

export type Volume = Schemas['Volume']
export type VolumeDescription = Schemas['VolumeDescription']
export type StoredObject = Schemas['Object']
export type ObjectDescription = Schemas['ObjectDescription']
export type ObjectPreview = Schemas['ObjectPreview']
export type ObjectListing = Schemas['ObjectListing']

export const fileKeys = {
  volumes: ['files', 'volumes'] as const,
  volume: (volume: string) => ['files', 'volume', volume] as const,
  info: (volume: string) => ['files', 'volume', volume, 'info'] as const,
  listings: (volume: string) => ['files', 'volume', volume, 'listing'] as const,
  listing: (volume: string, prefix: string) => ['files', 'volume', volume, 'listing', prefix] as const,
  object: (volume: string, key: string) => ['files', 'volume', volume, 'object', key] as const,
  preview: (volume: string, key: string) => ['files', 'volume', volume, 'preview', key] as const,
}

/** After a change in a volume: its counts, listings, objects and previews, and the volume list.
 *  Listings go back to their first page first: an infinite query refetches every page it holds, one
 *  after the other (100 requests for a folder of 100,000 objects scrolled to its end), and all but
 *  the first would come back anyway as the user scrolls, with the change in its place. */
export function invalidateVolume(queryClient: QueryClient, volume: string) {
  queryClient.setQueriesData<InfiniteData<ObjectListing, string | undefined>>(
    { queryKey: fileKeys.listings(volume) },
    (listing) =>
      listing && listing.pages.length > 1
        ? { pages: listing.pages.slice(0, 1), pageParams: listing.pageParams.slice(0, 1) }
        : listing,
  )
  void queryClient.invalidateQueries({ queryKey: fileKeys.volume(volume) })
  void queryClient.invalidateQueries({ queryKey: fileKeys.volumes })
}

export function useVolumes() {
  return useQuery({
    queryKey: fileKeys.volumes,
    queryFn: async ({ signal }) => data(await api.GET('/api/v1/volumes', { signal })).volumes,
  })
}

/** The volume with its object count and size. */
export function useVolumeInfo(volume: string) {
  return useQuery({
    queryKey: fileKeys.info(volume),
    queryFn: async ({ signal }) =>
      data(await api.GET('/api/v1/volumes/{vol}', { params: { path: { vol: volume } }, signal })),
  })
}

/** One page holds up to 1000 entries, the most the server gives. */
const PAGE_SIZE = 1000

/** A folder's entries, a page at a time: `fetchNextPage` follows `next_cursor`. */
export function useListing(volume: string, prefix: string) {
  return useInfiniteQuery({
    queryKey: fileKeys.listing(volume, prefix),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(
        await api.GET('/api/v1/volumes/{vol}/objects', {
          params: {
            path: { vol: volume },
            query: { prefix: prefix || undefined, delimiter: '/', cursor: pageParam, limit: PAGE_SIZE },
          },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  })
}

/** The object's index row plus its place in the lineage graph. */
export function useObjectDescription(volume: string, key: string) {
  return useQuery({
    queryKey: fileKeys.object(volume, key),
    queryFn: async ({ signal }) =>
      data(
        await api.GET('/api/v1/volumes/{vol}/objects/{key}', {
          params: { path: { vol: volume, key }, query: { metadata: '1' } },
          signal,
          ...objectPathSerializer,
        }),
      ) as ObjectDescription,
  })
}

export function useObjectPreview(volume: string, key: string) {
  return useQuery({
    queryKey: fileKeys.preview(volume, key),
    queryFn: async ({ signal }) =>
      data(
        await api.GET('/api/v1/volumes/{vol}/objects/{key}', {
          params: { path: { vol: volume, key }, query: { preview: '1' } },
          signal,
          ...objectPathSerializer,
        }),
      ) as ObjectPreview,
  })
}
