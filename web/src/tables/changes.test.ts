import { describe, expect, it } from 'vitest'
import { seededRandom, testSeed } from '../../test/random'
import { buildDiff, pairUpdates } from './changes'

describe("pairing an update's old and new rows", () => {
  it('pairs by a column that tells the rows apart, whatever order the feed has', () => {
    const before = [[1, 'a', 10], [2, 'b', 20], [3, 'c', 30]]
    const after = [[3, 'c', 31], [1, 'a', 11], [2, 'b', 21]]
    expect(pairUpdates(before, after)).toEqual([
      [[1, 'a', 10], [1, 'a', 11]],
      [[2, 'b', 20], [2, 'b', 21]],
      [[3, 'c', 30], [3, 'c', 31]],
    ])
  })

  it('prefers the key whose pairs agree most when an updated column looks like a key too', () => {
    // SET id = 3 - id: id still tells rows apart, but name is what stayed.
    const before = [[1, 'one', true], [2, 'two', false]]
    const after = [[2, 'one', true], [1, 'two', false]]
    expect(pairUpdates(before, after)).toEqual([
      [[1, 'one', true], [2, 'one', true]],
      [[2, 'two', false], [1, 'two', false]],
    ])
  })

  it('falls back to the closest rows without a key, and keeps unmatched rows', () => {
    const before = [[null, 'x', 1], [null, 'x', 2]]
    const after = [[null, 'x', 2], [null, 'y', 1], [null, 'z', 9]]
    const pairs = pairUpdates(before, after)
    expect(pairs).toHaveLength(3)
    expect(pairs.filter(([old, now]) => old && now)).toHaveLength(2)
    expect(pairs.find(([old]) => old === undefined)?.[1]).toEqual([null, 'z', 9])
  })

  it('pairs every row exactly once (random feeds)', () => {
    const random = seededRandom(testSeed())
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(random() * 12)
      const before = Array.from({ length: n }, (_, i) => [i, Math.floor(random() * 3), random() < 0.3 ? null : 'v'])
      const after = before.map((row) => [random() < 0.2 ? Math.floor(random() * n) : row[0], Math.floor(random() * 3), row[2]])
      const shuffled = [...after].sort(() => random() - 0.5)
      const pairs = pairUpdates(before, shuffled)
      expect(pairs).toHaveLength(n)
      expect(new Set(pairs.map(([old]) => old)).size).toBe(n)
      expect(new Set(pairs.map(([, now]) => now)).size).toBe(n)
      expect(pairs.every(([old, now]) => old && now)).toBe(true)
    }
  })
})

describe('the diff of a change feed', () => {
  it('orders each snapshot as deleted, inserted, then updated pairs, and counts them', () => {
    const columns = [
      { name: 'snapshot_id', type: 'BIGINT' },
      { name: 'change_type', type: 'VARCHAR' },
      { name: 'id', type: 'BIGINT' },
    ]
    const diff = buildDiff(columns, [
      [5, 'delete', 1],
      [5, 'update_preimage', 2],
      [5, 'insert', 3],
      [5, 'update_postimage', 2],
      [6, 'insert', 4],
    ])
    expect(diff.columns.map((column) => column.name)).toEqual(['change_type', 'snapshot_id', 'id'])
    expect(diff.rows).toEqual([
      ['deleted', 5, 1],
      ['inserted', 5, 3],
      ['updated: before', 5, 2],
      ['updated: after', 5, 2],
      ['inserted', 6, 4],
    ])
    expect(diff.counts).toEqual({ inserted: 2, deleted: 1, updated: 1 })
    expect(diff.rows.map((row) => diff.kindOf.get(row))).toEqual(['deleted', 'inserted', 'updated-before', 'updated-after', 'inserted'])
    expect(diff.partnerOf.get(diff.rows[2])).toBe(diff.rows[3])
  })
})
