// One real server for every component test file (each file names its own namespaces and
// volumes, so files may run side by side).
import type { TestProject } from 'vitest/node'
import { startDucklake, type Ducklake } from './ducklake'

let server: Ducklake | undefined

export async function setup(project: TestProject) {
  // vite.config.ts chose the address, and made it the test pages' origin.
  server = await startDucklake({ url: process.env.DUCKLAKE_TEST_URL })
  project.provide('ducklakeUrl', server.url)
}

export async function teardown() {
  await server?.stop()
}
