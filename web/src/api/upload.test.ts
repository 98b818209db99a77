import { describe, expect, it } from 'vitest'
import { uniqueName } from '../../test/render'
import { api, ApiError, data, encodeKey, rawFetch, type Schemas } from './client'
import { sendBody } from './upload'

const MiB = 1024 * 1024

async function makeVolume(maxObjectBytes?: number): Promise<string> {
  const name = uniqueName('send').toLowerCase()
  data(await api.POST('/api/v1/volumes', { body: { name, max_object_bytes: maxObjectBytes } }))
  return name
}

const objectPath = (volume: string, key: string) => `/api/v1/volumes/${volume}/objects/${encodeKey(key)}`

/** The stored object's size, or null when nothing was stored at the key. */
async function storedSize(volume: string, key: string): Promise<number | null> {
  try {
    const response = await rawFetch(`${objectPath(volume, key)}?metadata=1`)
    return ((await response.json()) as Schemas['ObjectDescription']).size
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null
    throw error
  }
}

describe('sendBody', () => {
  it('sends a body of a few MiB, reporting progress up to its whole size, and answers the JSON', async () => {
    const volume = await makeVolume()
    const bytes = new Uint8Array(3 * MiB + 17).map((_, index) => index % 251)
    const progress: [number, number][] = []
    const stored = await sendBody<Schemas['Object']>(objectPath(volume, 'sent/blob.bin'), new Blob([bytes]), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      onProgress: (sent, total) => progress.push([sent, total]),
    })

    expect(stored).toMatchObject({ key: 'sent/blob.bin', size: bytes.length, content_type: 'application/octet-stream' })
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every(([, total]) => total === bytes.length)).toBe(true)
    const sent = progress.map(([bytesSent]) => bytesSent)
    expect(sent).toEqual([...sent].sort((a, b) => a - b))
    expect(sent[sent.length - 1]).toBe(bytes.length)
    expect(await storedSize(volume, 'sent/blob.bin')).toBe(bytes.length)
  })

  it('stops sending when cancelled, and stores nothing', async () => {
    const volume = await makeVolume()
    const controller = new AbortController()
    const sending = sendBody(objectPath(volume, 'cut.bin'), new Blob([new Uint8Array(4 * MiB)]), {
      method: 'PUT',
      signal: controller.signal,
    })
    controller.abort()
    await expect(sending).rejects.toMatchObject({ name: 'AbortError' })

    // A signal already aborted sends nothing at all.
    await expect(
      sendBody(objectPath(volume, 'never.bin'), new Blob(['x']), { method: 'PUT', signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(await storedSize(volume, 'cut.bin')).toBeNull()
    expect(await storedSize(volume, 'never.bin')).toBeNull()
  })

  it("rejects a refused body with an ApiError carrying the server's problem", async () => {
    const volume = await makeVolume(1024)
    const refused = await sendBody(objectPath(volume, 'big.bin'), new Blob([new Uint8Array(2 * MiB)]), {
      method: 'PUT',
    }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({
      status: 413,
      title: 'Payload Too Large',
      detail: `volume '${volume}' takes objects of at most 1024 bytes`,
      message: `volume '${volume}' takes objects of at most 1024 bytes`,
      instance: `/api/v1/volumes/${volume}/objects/big.bin`,
    })

    const missing = await sendBody(objectPath(uniqueName('gone').toLowerCase(), 'a.txt'), new Blob(['a']), {
      method: 'PUT',
    }).catch((error: unknown) => error)
    expect(missing).toMatchObject({ status: 404, detail: expect.stringMatching(/^volume 'gone_\w+' does not exist$/) })
    expect(await storedSize(volume, 'big.bin')).toBeNull()
  })
})
