// Random inputs for property tests: fixed seed in CI (DUCKLAKE_WEB_SEED picks another).

/** mulberry32: small, fast and good enough for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '[', ']', '{', '}', ',', ':', 'é', '😀', '\n', '\u0001']

export function randomString(random: () => number, max = 12): string {
  let text = ''
  const length = Math.floor(random() * max)
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)]
  return text
}

export function randomValue(random: () => number, depth = 0): unknown {
  const pick = random()
  if (pick < 0.1) return null
  if (pick < 0.3) return Math.floor(random() * 2e6) - 1e6
  if (pick < 0.4) return random() * 1e3
  if (pick < 0.6) return randomString(random)
  if (pick < 0.7) return random() < 0.5
  if (depth > 2) return 0
  if (pick < 0.85) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1))
  return Object.fromEntries(
    Array.from({ length: Math.floor(random() * 3) }, () => [randomString(random, 5), randomValue(random, depth + 1)]),
  )
}

export function randomResult(random: () => number) {
  const width = 1 + Math.floor(random() * 5)
  const columns = Array.from({ length: width }, () => ({ name: randomString(random) || 'c', type: 'VARCHAR' }))
  const rows = Array.from({ length: Math.floor(random() * 40) }, () =>
    Array.from({ length: width }, () => randomValue(random)),
  )
  return { columns, rows }
}

/** The seed of this run: DUCKLAKE_WEB_SEED, else CI's fixed one. */
export function testSeed(): number {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
  return Number(env?.DUCKLAKE_WEB_SEED ?? 20261206)
}
