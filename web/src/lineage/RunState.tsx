import type { Schemas } from '../api/client'

export type RunState = Schemas['MarquezRun']['state']

const STYLE: Record<RunState, string> = {
  COMPLETED: 'ok',
  FAILED: 'fail',
  ABORTED: 'fail',
  RUNNING: 'running',
  NEW: '',
}

const LABEL: Record<RunState, string> = {
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  ABORTED: 'Aborted',
  RUNNING: 'Running',
  NEW: 'New',
}

/** A run's state as a coloured badge; the word says it, the colour only repeats it. */
export function RunStateBadge({ state }: { state: RunState }) {
  return <span className={`badge run-state ${STYLE[state]}`}>{LABEL[state]}</span>
}
