/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `npm run dev` proxies the API to a `ducklake serve` on DUCKLAKE_URL (default 127.0.0.1:8080).
const server = process.env.DUCKLAKE_URL ?? 'http://127.0.0.1:8080'

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
    globalSetup: ['./test/globalSetup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 20_000,
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
})
