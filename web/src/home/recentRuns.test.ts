import { describe, expect, it } from 'vitest'
import { recentRuns } from './recentRuns'

const job = (name: string) => ({ namespace: 'ducklake://default', name })
const event = (runId: string | null, eventType: 'START' | 'COMPLETE' | 'FAIL' | 'ABORT', time: string, extra = {}) => ({
  eventType,
  eventTime: time,
  producer: 'urn:test',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  ...(runId ? { run: { runId, ...extra }, job: job(`job-${runId}`) } : {}),
})

describe('recentRuns', () => {
  it('folds the newest events into runs: the latest event first, ended by any end event', () => {
    const events = [
      event('c', 'START', '2026-11-25T10:00:05Z'),
      event('b', 'FAIL', '2026-11-25T10:00:04Z', { facets: { errorMessage: { message: 'statement 2: no such column' } } }),
      event(null, 'COMPLETE', '2026-11-25T10:00:03Z'),
      event('a', 'COMPLETE', '2026-11-25T10:00:02Z'),
      event('b', 'START', '2026-11-25T10:00:01Z'),
      event('a', 'START', '2026-11-25T10:00:00Z'),
    ]
    expect(recentRuns(events, 10)).toEqual([
      { runId: 'c', namespace: 'ducklake://default', job: 'job-c', state: 'RUNNING', time: '2026-11-25T10:00:05Z', error: undefined },
      {
        runId: 'b',
        namespace: 'ducklake://default',
        job: 'job-b',
        state: 'FAILED',
        time: '2026-11-25T10:00:04Z',
        error: 'statement 2: no such column',
      },
      { runId: 'a', namespace: 'ducklake://default', job: 'job-a', state: 'COMPLETED', time: '2026-11-25T10:00:02Z', error: undefined },
    ])
    expect(recentRuns(events, 2).map((run) => run.runId)).toEqual(['c', 'b'])
  })
})
