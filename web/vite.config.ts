/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { freePort } from './test/ducklake.ts'

// `npm run dev` proxies the API to a `ducklake serve` on DUCKLAKE_URL (default 127.0.0.1:8080).
const server = process.env.DUCKLAKE_URL ?? 'http://127.0.0.1:8080'

// The component tests' pages are "loaded from" the test server (test/globalSetup.ts starts it on
// this port), so the app's same-origin requests, XMLHttpRequest included, go to it as in a browser.
if (process.env.VITEST && !process.env.DUCKLAKE_TEST_URL) {
  process.env.DUCKLAKE_TEST_URL = `http://127.0.0.1:${await freePort()}`
}

export default defineConfig({
  plugins: [react()],
  build: {
    // Hashed names under assets/: the server lets browsers keep them for good.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/marquez', '/healthz', '/readyz', '/metrics'].map((path) => [path, server]),
    ),
  },
  test: {
    environment: 'jsdom',
    environmentOptions: { jsdom: { url: `${process.env.DUCKLAKE_TEST_URL}/` } },
    globalSetup: ['./test/globalSetup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 20_000,
    // The tests mostly wait on the server: two files at a time keep two cores busy.
    maxWorkers: 2,
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
})
