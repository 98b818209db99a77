// Starts a real `ducklake serve` for the web tests: embedded backends in a fresh directory, on a
// free loopback port. DUCKLAKE_BIN names the binary (default ../build/ducklake).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface Ducklake {
  url: string
  /** The admin's token when started with auth: 'token'. */
  adminToken?: string
  dataDir: string
  /** The server's log so far (stderr and stdout). */
  log(): string
  stop(): Promise<void>
}

export interface DucklakeOptions {
  auth?: 'none' | 'token'
  /** The built web app to serve at /: a directory, 'beside-binary' (what an installed server
   *  finds on its own: web/ next to the binary), or 'none' (the default, for component tests). */
  webDir?: string
  extraArgs?: string[]
  /** http://127.0.0.1:PORT to listen on; a free port by default. */
  url?: string
}

export function ducklakeBinary(): string {
  return resolve(process.env.DUCKLAKE_BIN ?? join(import.meta.dirname, '..', '..', 'build', 'ducklake'))
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => done(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ducklake serve exited with ${child.exitCode}:\n${log()}`)
    try {
      const response = await fetch(`${url}/readyz`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 100))
  }
  throw new Error(`ducklake serve did not become ready at ${url}:\n${log()}`)
}

export async function startDucklake(options: DucklakeOptions = {}): Promise<Ducklake> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ducklake-web-'))
  const port = options.url ? Number(new URL(options.url).port) : await freePort()
  const url = `http://127.0.0.1:${port}`
  const tokenFile = join(dataDir, 'admin-token')
  const args = [
    'serve',
    '--listen', `127.0.0.1:${port}`,
    '--data-dir', join(dataDir, 'lake'),
    '--auth', options.auth ?? 'none',
    ...(options.webDir === 'beside-binary' ? [] : ['--web-dir', options.webDir ?? 'none']),
    '--log-level', 'warn',
    ...(options.auth === 'token' ? ['--admin-token-file', tokenFile] : []),
    ...(options.extraArgs ?? []),
  ]
  let output = ''
  const child = spawn(ducklakeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const spawned = new Promise<void>((done, fail) => {
    child.once('spawn', done)
    child.once('error', (error) => fail(new Error(`cannot start ${ducklakeBinary()}: ${error.message} (set DUCKLAKE_BIN)`)))
  })
  await spawned
  await waitReady(url, child, () => output)
  return {
    url,
    adminToken: options.auth === 'token' ? readFileSync(tokenFile, 'utf8').trim() : undefined,
    dataDir,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
