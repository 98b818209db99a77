// End-to-end tests: Chromium driven through playwright-core against real `ducklake serve`
// processes that serve the built app (make web). One file at a time: each starts its servers.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
