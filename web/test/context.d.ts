// What the global setup hands every test file (vitest's inject()).
import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test server's base URL, http://127.0.0.1:PORT */
    ducklakeUrl: string
  }
}
