// The end of a signed-in session (sign-out, or a token the server stopped accepting). What a
// session leaves in the tab — cached answers, queued uploads, SQL drafts and history — must not
// reach whoever signs in next; each part registers here what it forgets.

const forgetters = new Set<() => void>()

/** Stored under this prefix (localStorage or sessionStorage), a value belongs to the session and is
 *  removed when it ends, whether or not the code that wrote it is loaded. */
export const SESSION_KEY_PREFIX = 'ducklake.session.'

/** Registers what to forget when a session ends; returns the unregistering function. */
export function onSessionEnd(forget: () => void): () => void {
  forgetters.add(forget)
  return () => forgetters.delete(forget)
}

export function endSession(): void {
  for (const name of ['localStorage', 'sessionStorage'] as const) {
    try {
      const storage = window[name]
      const keys = Array.from({ length: storage.length }, (_, index) => storage.key(index))
      for (const key of keys) if (key?.startsWith(SESSION_KEY_PREFIX)) storage.removeItem(key)
    } catch {
      // Site data blocked: nothing of the session was stored there.
    }
  }
  forgetters.forEach((forget) => forget())
}
