// The Files section's own reads: an object's description and preview. The volumes, a volume and its
// listings are the lake's routes every page shares (api/queries.ts).
import { useQuery } from '@tanstack/react-query'
import { api, data, type Schemas } from '../api/client'
import { lakeKeys } from '../api/queries'
import { objectPathSerializer } from './paths'

export type Volume = Schemas['Volume']
export type VolumeDescription = Schemas['VolumeDescription']
export type StoredObject = Schemas['Object']
export type ObjectDescription = Schemas['ObjectDescription']
export type ObjectPreview = Schemas['ObjectPreview']
export type ObjectListing = Schemas['ObjectListing']

// Under the volume's key, so invalidateVolume reaches them too.
export const objectKeys = {
  object: (volume: string, key: string) => [...lakeKeys.volume(volume), 'object', key] as const,
  preview: (volume: string, key: string) => [...lakeKeys.volume(volume), 'preview', key] as const,
}

/** The object's index row plus its place in the lineage graph. */
export function useObjectDescription(volume: string, key: string) {
  return useQuery({
    queryKey: objectKeys.object(volume, key),
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
    queryKey: objectKeys.preview(volume, key),
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
