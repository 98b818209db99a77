// Test data for the Files tests, set up through the API of the test server.
import type { Middleware } from 'openapi-fetch'
import { api, data, rawFetch, type Schemas } from '../api/client'
import { uniqueName } from '../../test/render'
import { objectApiPath } from './paths'

export async function makeVolume(prefix = 'files'): Promise<string> {
  // Volume names are lower case; uniqueName's suffix is too.
  const name = uniqueName(prefix).toLowerCase()
  data(await api.POST('/api/v1/volumes', { body: { name } }))
  return name
}

export async function putObject(volume: string, key: string, body: BodyInit, contentType?: string): Promise<Schemas['Object']> {
  const response = await rawFetch(objectApiPath(volume, key), {
    method: 'PUT',
    // A string would go as text/plain: bytes go untyped, and the server types them by the key.
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
    headers: contentType ? { 'Content-Type': contentType } : {},
  })
  return response.json()
}

/** Many small objects, a few requests at a time. */
export async function putMany(volume: string, keys: string[], concurrency = 16) {
  let next = 0
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]
      await putObject(volume, key, key)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

export async function objectBytes(volume: string, key: string): Promise<Uint8Array> {
  const response = await rawFetch(objectApiPath(volume, key))
  return new Uint8Array(await response.arrayBuffer())
}

/** The object's index row, or null if there is none. */
export async function findObject(volume: string, key: string) {
  const response = await fetch(new URL(`${objectApiPath(volume, key)}?metadata=1`, location.origin))
  if (response.status === 404) return null
  if (!response.ok) throw new Error(`GET ${key}: ${response.status}`)
  return (await response.json()) as Schemas['ObjectDescription']
}

export async function openUploads(volume: string) {
  return data(await api.GET('/api/v1/volumes/{vol}/uploads', { params: { path: { vol: volume } } })).uploads
}

/** The listing requests the app makes for `volume` from now on, each as its prefix and cursor
 *  ('' for none), until `stop()`. */
export function recordListings(volume: string) {
  const requests: { prefix: string; cursor: string }[] = []
  const recorder: Middleware = {
    onRequest({ request }) {
      const url = new URL(request.url)
      if (url.pathname === `/api/v1/volumes/${encodeURIComponent(volume)}/objects`) {
        requests.push({ prefix: url.searchParams.get('prefix') ?? '', cursor: url.searchParams.get('cursor') ?? '' })
      }
      return request
    },
  }
  api.use(recorder)
  return { requests, stop: () => api.eject(recorder) }
}
