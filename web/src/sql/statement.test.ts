import { describe, expect, it } from 'vitest'
import { formatCount } from '../ui/format'
import { describeWrite, firstKeyword, isReadStatement, parseSnapshot, writeSummary } from './statement'

describe('statements', () => {
  it('finds the first keyword past comments and parentheses', () => {
    expect(firstKeyword('  -- top 10\n/* see ticket */ (SELECT 1) UNION (SELECT 2)')).toBe('select')
    expect(firstKeyword('\n\tInsert INTO a.b VALUES (1)')).toBe('insert')
    expect(firstKeyword('-- only a comment')).toBe('')
    expect(firstKeyword('/* unterminated')).toBe('')
  })

  it('tells reads, which may run again, from writes', () => {
    for (const read of ['SELECT 1', 'with x AS (SELECT 1) SELECT * FROM x', 'VALUES (1)', 'FROM a.b', '(select 1)', 'DESCRIBE a.b']) {
      expect(isReadStatement(read)).toBe(true)
    }
    for (const write of ['INSERT INTO a.b VALUES (1)', 'DELETE FROM a.b', 'UPDATE a.b SET x = 1', 'CREATE TABLE a.c AS SELECT 1', 'DROP TABLE a.b', 'ALTER TABLE a.b ADD COLUMN c INT', '']) {
      expect(isReadStatement(write)).toBe(false)
    }
  })

  it('reads a write’s count and snapshot from its one-row result', () => {
    const columns = [
      { name: 'rows_deleted', type: 'BIGINT' },
      { name: 'snapshot_id', type: 'BIGINT' },
    ]
    const write = writeSummary('DELETE FROM a.b', columns, [[1200, 17]])
    expect(write).toEqual({ countColumn: 'rows_deleted', count: 1200, snapshotId: 17 })
    expect(describeWrite('DELETE FROM a.b', write!, formatCount)).toBe('Deleted 1,200 rows · snapshot 17')
    expect(describeWrite('DROP TABLE a.b', { countColumn: 'rows_written', count: 0, snapshotId: 18 }, formatCount)).toBe(
      'Changed the table · snapshot 18',
    )
    // A query that names its columns the same is still a query.
    expect(writeSummary('SELECT 1 AS rows_deleted, 2 AS snapshot_id', columns, [[1, 2]])).toBeNull()
    expect(writeSummary('INSERT INTO a.b VALUES (1)', columns.slice(0, 1), [[1]])).toBeNull()
  })

  it('reads the snapshot field', () => {
    expect(parseSnapshot('')).toBeUndefined()
    expect(parseSnapshot(' 12 ')).toBe(12)
    expect(parseSnapshot('0')).toBe(0)
    expect(parseSnapshot('-1')).toBeNull()
    expect(parseSnapshot('1.5')).toBeNull()
    expect(parseSnapshot('latest')).toBeNull()
    expect(parseSnapshot('99999999999999999999')).toBeNull()
  })
})
