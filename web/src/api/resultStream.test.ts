import { describe, expect, it } from 'vitest'
import { JsonResultParser } from './resultStream'
import { randomResult, seededRandom, testSeed } from '../../test/random'

// The reference is JSON.parse of the whole document: the streamed parse must give the same rows
// however the text is cut into chunks.
describe('JsonResultParser', () => {
  const seed = testSeed()

  it(`gives JSON.parse's rows for random results cut at random places (seed ${seed})`, () => {
    const random = seededRandom(seed)
    for (let round = 0; round < 200; round++) {
      const document = randomResult(random)
      const text = JSON.stringify(document)
      const parser = new JsonResultParser()
      const rows: unknown[][] = []
      let at = 0
      while (at < text.length) {
        const size = 1 + Math.floor(random() * (random() < 0.2 ? 3 : 64))
        rows.push(...parser.push(text.slice(at, at + size)))
        at += size
      }
      parser.end()
      expect(parser.columns).toEqual(document.columns)
      expect(rows).toEqual(document.rows)
    }
  })

  it('hands back rows before the document ends', () => {
    const parser = new JsonResultParser()
    expect(parser.push('{"columns":[{"name":"a","type":"INTEGER"}],"rows":[[1],[2')).toEqual([[1]])
    expect(parser.columns).toEqual([{ name: 'a', type: 'INTEGER' }])
    expect(parser.push('],[3]')).toEqual([[2], [3]])
    expect(parser.push(']}')).toEqual([])
    parser.end()
  })

  it('says so when the result is cut off', () => {
    const parser = new JsonResultParser()
    parser.push('{"columns":[{"name":"a","type":"INTEGER"}],"rows":[[1],[2]')
    expect(() => parser.end()).toThrow(/ended before it was complete/)
  })

  it('reads a column named like the rows key', () => {
    const document = { columns: [{ name: '"rows":[', type: 'VARCHAR' }], rows: [['],[x'], ['"']] }
    const parser = new JsonResultParser()
    const rows = parser.push(JSON.stringify(document))
    parser.end()
    expect(parser.columns).toEqual(document.columns)
    expect(rows).toEqual(document.rows)
  })
})
