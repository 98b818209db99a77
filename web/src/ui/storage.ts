/** Runs a use of Web Storage, which throws where the user blocks site data (reading
 *  `localStorage` already does): the app then works on, only without keeping what it would have
 *  stored (a token across reloads, a SQL draft, the query history). */
export function withStorage<T>(use: () => T, blocked: T): T {
  try {
    return use()
  } catch {
    return blocked
  }
}
