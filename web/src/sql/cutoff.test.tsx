import { screen } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { readHistory } from './history'
import { gridRows, runInEditor, waitForStatus } from './testing'

interface TestServer {
  url: string
  stop(): Promise<void>
}
// The harness that starts servers is Node code, which the app's TypeScript settings (browser only)
// cannot type: it is loaded by a path TypeScript does not follow.
const HARNESS = '../../test/ducklake'

// A server of its own that stops results at 1 MB: past it, a response ends without its final chunk.
let server: TestServer

beforeAll(async () => {
  const { startDucklake } = (await import(/* @vite-ignore */ HARNESS)) as {
    startDucklake(options: { extraArgs: string[] }): Promise<TestServer>
  }
  server = await startDucklake({ extraArgs: ['--max-result-bytes', '1000000'] })
  // Queries go to the page's origin (rawFetch resolves against it when called).
  ;(globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } }).jsdom.reconfigure({
    url: server.url + '/',
  })
}, 60_000)

afterAll(async () => {
  await server?.stop()
})

describe('a result the server cuts off', () => {
  it('is reported as incomplete, with the rows that did arrive', async () => {
    renderAt('/sql')
    await runInEditor('SELECT range AS n FROM range(1000000)')
    await waitForStatus(/^Cut off after [\d,]+ rows/)

    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent(/The result was cut off after [\d,]+ rows; the rows shown are only part of it/)
    const kept = Number(/after ([\d,]+) rows/.exec(alert.textContent!)![1].replace(/,/g, ''))
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(1_000_000)
    expect(gridRows()[0]).toEqual(['0'])
    expect(readHistory()[0]).toMatchObject({ outcome: 'failed', rowCount: kept })
  })
})
