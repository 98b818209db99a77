import { describe, expect, it } from 'vitest'
import { formatBytes, formatCell, formatDuration, formatTime } from './format'

describe('format', () => {
  it('sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MiB')
    expect(formatBytes(300 * 1024 ** 3)).toBe('300 GiB')
  })
  it('cells', () => {
    expect(formatCell(null)).toBe('NULL')
    expect(formatCell([1, { a: 'x' }])).toBe('[1,{"a":"x"}]')
    expect(formatCell(false)).toBe('false')
  })
  it('times as local date and time, to the second', () => {
    expect(formatTime('2026-11-25T10:00:00Z')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(formatTime(null)).toBe('—')
    expect(formatTime('not a time')).toBe('not a time')
  })
  it('durations', () => {
    expect(formatDuration(12.4)).toBe('12 ms')
    expect(formatDuration(1500)).toBe('1.50 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
  })
})
