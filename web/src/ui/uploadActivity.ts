// How many files this tab is sending. The upload queue reports it; the frame of every page shows it,
// so uploads that go on while the user is elsewhere in the app stay in sight.
let running = 0
const listeners = new Set<() => void>()

export const uploadActivity = {
  subscribe(listener: () => void) {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  },
  /** Files queued or being sent. */
  getSnapshot: () => running,
  report(count: number) {
    if (count === running) return
    running = count
    for (const listener of listeners) listener()
  },
}
