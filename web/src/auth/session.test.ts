import { describe, expect, it, vi } from 'vitest'
import { endSession, onSessionEnd, SESSION_KEY_PREFIX } from './session'

describe('the end of a session', () => {
  it("forgets the session's stored values and state, and nothing else", () => {
    localStorage.setItem(`${SESSION_KEY_PREFIX}sql.history`, '[{"sql":"SELECT secret"}]')
    sessionStorage.setItem(`${SESSION_KEY_PREFIX}sql.draft`, 'SELECT draft')
    localStorage.setItem('ducklake.preference', 'kept')
    const forget = vi.fn()
    const unregister = onSessionEnd(forget)

    endSession()
    expect(localStorage.getItem(`${SESSION_KEY_PREFIX}sql.history`)).toBeNull()
    expect(sessionStorage.getItem(`${SESSION_KEY_PREFIX}sql.draft`)).toBeNull()
    expect(localStorage.getItem('ducklake.preference')).toBe('kept')
    expect(forget).toHaveBeenCalledTimes(1)

    unregister()
    endSession()
    expect(forget).toHaveBeenCalledTimes(1)
  })
})
