// The web app's benchmarks, in Debian's Chromium against a real `ducklake serve` (bench/run-web.sh
// starts it): the JavaScript a first visit downloads, the time to the first rows of a large
// SELECT * in the SQL page against the same query's first byte over curl, and the Files page on
// a volume of 100,000 objects against the API's first listing page. Prints Markdown tables, and
// records its figures for bench/suite.py where DUCKLAKE_BENCH_RECORD says.
// Usage: node bench/web_bench.mjs URL [--rows N] [--objects N] [--runs N]
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const require = createRequire(join(import.meta.dirname, '..', 'web', 'package.json'))
const { chromium } = require('playwright-core')

const args = process.argv.slice(2)
const url = args[0]
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const ROWS = option('--rows', 1_000_000)
const OBJECTS = option('--objects', 100_000)
const RUNS = option('--runs', 5)
const JS_BUDGET = 350 * 1024

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const ms = (value) => `${value.toFixed(0)} ms`
const log = (...parts) => console.error(...parts)

/**
 * Records a figure for bench/suite.py (its contract is at the top of bench/suite.py): one JSON line
 * appended to the file DUCKLAKE_BENCH_RECORD names, nothing when it is unset. A ratio (unit
 * 'ratio') is oriented so that higher is better: the baseline's time / the app's time.
 */
function figure(name, value, unit, detail) {
  const path = process.env.DUCKLAKE_BENCH_RECORD
  if (!path) return
  if (!Number.isFinite(value)) throw new Error(`figure ${name} is ${value}, not a number`)
  appendFileSync(path, JSON.stringify({ kind: 'figure', bench: 'web', name, value, unit, ...(detail && { detail }) }) + '\n')
}

async function api(method, path, body) {
  const response = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response
}

async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'ducklake-bench-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  })
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }) } }
}

/**
 * Makes the page note, in its own clock (milliseconds since its navigation started), the frame
 * that first paints an element matching `selector`. Playwright's checks run on the page's main
 * thread, which a streaming result keeps busy: polling for the element would see it late, by up
 * to the whole result's reading time.
 */
function notePaint(page, selector) {
  return page.addInitScript((selector) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector(selector)) return
      observer.disconnect()
      requestAnimationFrame(() => { window.__ducklakeBenchPainted = performance.now() })
    })
    observer.observe(document, { childList: true, subtree: true })
  }, selector)
}

/** The time notePaint noted, once it has. */
async function paintedAt(page) {
  await page.waitForFunction(() => window.__ducklakeBenchPainted !== undefined, null, { timeout: 120_000 })
  return page.evaluate(() => window.__ducklakeBenchPainted)
}

// --- 1. The JavaScript of a first visit ------------------------------------------------------

async function initialJavaScript(context) {
  const results = []
  for (const path of ['/', '/files', '/tables', '/sql', '/lineage']) {
    const page = await context.newPage()
    const scripts = []
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response)
    })
    await page.goto(url + path, { waitUntil: 'networkidle' })
    let raw = 0
    let gzipped = 0
    for (const response of scripts) {
      const body = await response.body()
      raw += body.length
      gzipped += gzipSync(body).length
    }
    results.push({ path, files: scripts.length, raw, gzipped })
    await page.close()
  }
  return results
}

/** The page's live JavaScript heap after a collection, in MiB (Chromium's performance.memory). */
async function jsHeap(page) {
  const session = await page.context().newCDPSession(page)
  await session.send('HeapProfiler.collectGarbage')
  const { usedSize } = await session.send('Runtime.getHeapUsage')
  await session.detach()
  return usedSize / 2 ** 20
}

// --- 2. First rows of a large SELECT * -------------------------------------------------------

function curlFirstByte(sql) {
  const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_starttransfer} %{time_total}',
    '-X', 'POST', '-H', 'Content-Type: application/json', '--data', JSON.stringify({ sql }), `${url}/api/v1/query`])
  const [first, total] = String(out).split(' ').map(Number)
  return { first: first * 1000, total: total * 1000 }
}

async function firstRows(context, sql) {
  // A shared link to a read runs it on open: navigation to rows is what a user waits for.
  const page = await context.newPage()
  await notePaint(page, '[role="grid"][aria-label="Query result"] [role="gridcell"]')
  const started = performance.now()
  await page.goto(`${url}/sql?sql=${encodeURIComponent(sql)}`)
  const shown = await paintedAt(page)
  await page.getByRole('status').filter({ hasText: / rows? in / }).first().waitFor({ timeout: 300_000 })
  const done = performance.now()
  const heap = await jsHeap(page)
  await page.close()
  return { navigationToRows: shown, navigationToEnd: done - started, heap }
}

// --- 3. The Files page at 100,000 objects ----------------------------------------------------

async function fillVolume(volume, count) {
  await api('POST', '/api/v1/volumes', { name: volume })
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      const key = `k${String(index).padStart(6, '0')}.txt`
      const response = await fetch(`${url}/api/v1/volumes/${volume}/objects/${key}`, { method: 'PUT', body: 'ducklake' })
      if (response.status !== 201) throw new Error(`PUT ${key}: ${response.status}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
}

function curlListing(volume) {
  const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_starttransfer} %{time_total}',
    `${url}/api/v1/volumes/${volume}/objects?delimiter=/&limit=1000`])
  const [first, total] = String(out).split(' ').map(Number)
  return { first: first * 1000, total: total * 1000 }
}

async function listing(context, volume, count) {
  const page = await context.newPage()
  await notePaint(page, '[role="grid"] [role="gridcell"]')
  await page.goto(`${url}/files/${volume}/`)
  const list = page.getByRole('grid', { name: `Contents of ${volume}/` })
  await list.getByText('k000000.txt').waitFor({ timeout: 60_000 })
  const firstScreen = await paintedAt(page)
  // Scroll to the end, page after page, as a user holding End would.
  const scrollStarted = performance.now()
  const last = `k${String(count - 1).padStart(6, '0')}.txt`
  for (;;) {
    await list.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    if (await list.getByText(last).isVisible()) break
    await page.waitForTimeout(20)
  }
  const scrollAll = performance.now() - scrollStarted
  const heap = await jsHeap(page)
  await page.close()
  return { firstScreen, scrollAll, heap }
}

// --- run --------------------------------------------------------------------------------------

const { context, close } = await launch()
try {
  console.log(`# Web app benchmarks, ${new Date().toISOString().slice(0, 16)}Z, ${url}\n`)
  const js = await initialJavaScript(context)
  console.log('## JavaScript a first visit downloads (gzipped at level 6)\n')
  console.log('| Page | Scripts | Raw | Gzipped | Budget 350 KB |')
  console.log('|---|---|---|---|---|')
  for (const row of js) {
    console.log(`| \`${row.path}\` | ${row.files} | ${(row.raw / 1024).toFixed(1)} KB | ${(row.gzipped / 1024).toFixed(1)} KB | ${row.gzipped < JS_BUDGET ? 'within' : '**over**'} |`)
    figure(`first-visit JavaScript ${row.path}: gzipped`, row.gzipped / 1024, 'KB', { scripts: row.files, raw_kb: row.raw / 1024 })
  }

  log(`making a table of ${ROWS} rows`)
  await api('POST', '/api/v1/namespaces', { name: 'webbench' })
  await api('POST', '/api/v1/query', {
    sql: `CREATE TABLE webbench.t AS SELECT i AS id, i * 0.5 AS x, 'row ' || i AS label, TIMESTAMP '2026-01-01' + to_seconds(i) AS at FROM range(${ROWS}) r(i)`,
  })
  const sql = 'SELECT * FROM webbench.t'
  const curls = []
  const browsers = []
  for (let run = 0; run < RUNS; run++) {
    curls.push(curlFirstByte(sql))
    browsers.push(await firstRows(context, sql))
  }
  const curlFirst = median(curls.map((c) => c.first))
  const curlTotal = median(curls.map((c) => c.total))
  const nav = median(browsers.map((b) => b.navigationToRows))
  const end = median(browsers.map((b) => b.navigationToEnd))
  console.log(`\n## First rows of \`${sql}\` (${ROWS.toLocaleString('en-US')} rows), median of ${RUNS}\n`)
  console.log('| Measure | Time | Ratio to curl first byte |')
  console.log('|---|---|---|')
  console.log(`| curl: first byte | ${ms(curlFirst)} | 1.0 |`)
  console.log(`| curl: whole result | ${ms(curlTotal)} | ${(curlTotal / curlFirst).toFixed(1)} |`)
  console.log(`| SQL page: navigation → first rows in the grid | ${ms(nav)} | ${(nav / curlFirst).toFixed(1)} |`)
  console.log(`| SQL page: navigation → whole result counted | ${ms(end)} | ${(end / curlFirst).toFixed(1)} |`)
  console.log(`\nJavaScript heap of the SQL page after the whole result (the grid keeps the first 200,000 rows): ` +
    `${median(browsers.map((b) => b.heap)).toFixed(0)} MiB.`)
  figure('SQL page first rows', curlFirst / nav, 'ratio', { rows: ROWS, page_ms: nav, curl_first_byte_ms: curlFirst })
  figure('SQL page first rows: time', nav, 'ms')
  figure('SQL page whole result', curlTotal / end, 'ratio', { rows: ROWS, page_ms: end, curl_ms: curlTotal })
  figure('SQL page whole result: time', end, 'ms')
  figure('SQL page heap', median(browsers.map((b) => b.heap)), 'MiB')

  log(`filling a volume with ${OBJECTS} objects`)
  const volume = 'webbench'
  await fillVolume(volume, OBJECTS)
  const lists = []
  const pages = []
  for (let run = 0; run < RUNS; run++) {
    lists.push(curlListing(volume))
    pages.push(await listing(context, volume, OBJECTS))
  }
  const listFirst = median(lists.map((l) => l.total))
  const screen = median(pages.map((p) => p.firstScreen))
  const all = median(pages.map((p) => p.scrollAll))
  console.log(`\n## Files page on a volume of ${OBJECTS.toLocaleString('en-US')} objects, median of ${RUNS}\n`)
  console.log('| Measure | Time | Ratio to the API page |')
  console.log('|---|---|---|')
  console.log(`| curl: first listing page (1,000 objects) | ${ms(listFirst)} | 1.0 |`)
  console.log(`| Files page: navigation → first rows shown | ${ms(screen)} | ${(screen / listFirst).toFixed(1)} |`)
  console.log(`| Files page: scrolled to the last object | ${ms(all)} | ${(all / listFirst).toFixed(1)} |`)
  console.log(`\nJavaScript heap of the Files page scrolled to the last of ${OBJECTS.toLocaleString('en-US')} objects: ` +
    `${median(pages.map((p) => p.heap)).toFixed(0)} MiB.`)
  figure('Files page first screen', listFirst / screen, 'ratio', { objects: OBJECTS, page_ms: screen, curl_ms: listFirst })
  figure('Files page first screen: time', screen, 'ms')
  figure('Files page scrolled to the end', all, 'ms', { objects: OBJECTS })
  figure('Files page heap', median(pages.map((p) => p.heap)), 'MiB')
} finally {
  await close()
}
