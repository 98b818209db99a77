import { describe, expect, it } from 'vitest'
import { api, data } from '../api/client'
import { seededRandom, testSeed } from '../../test/random'
import { findObject, makeVolume, objectBytes, openUploads } from './fixtures'
import { MAX_PARTS, MIN_PART_SIZE, planParts, uploadObject, type UploadSettings } from './upload'

const MiB = 1024 * 1024

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const random = seededRandom(testSeed())
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256)
  return bytes
}

/** Where two byte arrays first differ (-1: nowhere). toEqual on millions of bytes takes minutes. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i
  return a.length === b.length ? -1 : length
}

/** Multipart above 1 MiB, parts of the server's smallest size, two at a time. */
const SMALL: UploadSettings = { multipartThreshold: 1 * MiB, partSize: MIN_PART_SIZE, partConcurrency: 2 }

describe('planParts', () => {
  it('cuts a file into parts that cover it exactly, each but the last at least 5 MiB', () => {
    const random = seededRandom(testSeed())
    for (let round = 0; round < 200; round++) {
      const size = 1 + Math.floor(random() * 200 * MiB)
      const parts = planParts(size, Math.floor(random() * 20 * MiB))
      expect(parts[0].start).toBe(0)
      expect(parts[parts.length - 1].end).toBe(size)
      parts.forEach((part, index) => {
        expect(part.partNumber).toBe(index + 1)
        expect(part.end).toBeGreaterThan(part.start)
        if (index > 0) expect(part.start).toBe(parts[index - 1].end)
        if (index < parts.length - 1) expect(part.end - part.start).toBeGreaterThanOrEqual(MIN_PART_SIZE)
      })
    }
  })

  it('raises the part size so a huge file fits in 10,000 parts', () => {
    const size = 200 * 1024 * MiB // 200 GiB: 16 MiB parts would be 12,800
    const parts = planParts(size, 16 * MiB)
    expect(parts.length).toBeLessThanOrEqual(MAX_PARTS)
    expect(parts[parts.length - 1].end).toBe(size)
    expect(planParts(11 * MiB, 5 * MiB).map((part) => part.end - part.start)).toEqual([5 * MiB, 5 * MiB, 1 * MiB])
  })
})

describe('uploadObject', () => {
  it('stores a large file in parts, byte for byte, reporting progress up to its size', async () => {
    const volume = await makeVolume('multipart')
    const bytes = randomBytes(11 * MiB + 123)
    const progress: number[] = []
    const stored = await uploadObject(volume, 'big/blob.bin', new Blob([bytes]), {
      settings: SMALL,
      onProgress: (sent, total) => {
        expect(total).toBe(bytes.length)
        progress.push(sent)
      },
    })

    expect(stored.key).toBe('big/blob.bin')
    expect(stored.size).toBe(bytes.length)
    expect(progress[progress.length - 1]).toBe(bytes.length)
    expect(firstDifference(await objectBytes(volume, 'big/blob.bin'), bytes)).toBe(-1)
    expect(await openUploads(volume)).toEqual([])
  })

  it('stores a small file in one request, typed by the server from its key', async () => {
    const volume = await makeVolume('single')
    const text = 'id,name\n1,a b\n'
    const stored = await uploadObject(volume, 'in dir/we?rd#name.csv', new Blob([text], { type: 'application/vnd.ms-excel' }), {
      settings: SMALL,
    })
    expect(stored.key).toBe('in dir/we?rd#name.csv')
    expect(stored.content_type).toBe('text/csv')
    expect(new TextDecoder().decode(await objectBytes(volume, 'in dir/we?rd#name.csv'))).toBe(text)
  })

  it('aborts the multipart upload when cancelled, leaving no parts and no object', async () => {
    const volume = await makeVolume('cancel')
    const controller = new AbortController()
    const upload = uploadObject(volume, 'cut.bin', new Blob([randomBytes(11 * MiB)]), {
      settings: { ...SMALL, partConcurrency: 1 },
      signal: controller.signal,
      // As soon as the first bytes are sent: the upload exists and has (part of) a part.
      onProgress: () => controller.abort(),
    })
    await expect(upload).rejects.toMatchObject({ name: 'AbortError' })
    expect(await openUploads(volume)).toEqual([])
    expect(await findObject(volume, 'cut.bin')).toBeNull()
  })

  it("rejects with the server's problem, and aborts the upload it started", async () => {
    const volume = await makeVolume('refused')
    data(await api.PATCH('/api/v1/volumes/{vol}', { params: { path: { vol: volume } }, body: { max_object_bytes: 6 * MiB } }))
    // Each 5 MiB part fits the volume; the joined 11 MiB do not.
    await expect(uploadObject(volume, 'too/big.bin', new Blob([randomBytes(11 * MiB)]), { settings: SMALL })).rejects.toMatchObject({
      status: 413,
    })
    expect(await openUploads(volume)).toEqual([])
    expect(await findObject(volume, 'too/big.bin')).toBeNull()
  })

  it('refuses a key with an empty, "." or ".." segment before sending anything', async () => {
    const volume = await makeVolume('badkey')
    for (const key of ['a//b.txt', 'dir/../b.txt', './b.txt', 'dir/']) {
      await expect(uploadObject(volume, key, new Blob(['x']), { settings: SMALL })).rejects.toMatchObject({
        status: 400,
        detail: expect.stringContaining("'.' or '..' segment"),
      })
    }
    // The URL would have carried 'dir/../b.txt' to 'b.txt'.
    expect(await findObject(volume, 'b.txt')).toBeNull()
  })
})
