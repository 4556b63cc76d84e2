import http from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { startAppServer, type AppServer } from '../helpers/app-server.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { syncNpmFrom } from '../helpers/run-context.js'
import { TEST_DATABASE_URL, useTestDatabase } from '../helpers/test-db.js'

// Issue 12, "Hostile input": every GET route's path and query, generated. Quick mode (`.ci/run`,
// `npm test`) tries FUZZ_CASES=5000; `bench/reliability.sh` runs more. The seed is printed on a
// failure, so `FUZZ_SEED=<seed>` replays the same cases.
const CASES = Number(process.env.FUZZ_CASES ?? 5000)
const SEED = Number(process.env.FUZZ_SEED ?? 20261207)
const NOW = new Date('2026-11-25T12:00:00Z')

const t = useTestDatabase({ once: true })
const fake = useFakeUpstream()
let server: AppServer
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

const SLUG = ':slug'
// Every GET route (src/server/routes/), with the query keys each one reads.
const ROUTES: Array<{ path: string; keys: string[] }> = [
  { path: '/', keys: [] },
  { path: `/frameworks/${SLUG}`, keys: ['range'] },
  { path: `/frameworks/${SLUG}/chart`, keys: ['range'] },
  { path: `/frameworks/${SLUG}/badge.svg`, keys: ['metric', 'range'] },
  { path: `/frameworks/${SLUG}/feed.xml`, keys: ['kind'] },
  { path: `/frameworks/${SLUG}/feed.atom`, keys: ['kind'] },
  { path: `/frameworks/${SLUG}/feed.json`, keys: ['kind'] },
  { path: '/feed.xml', keys: ['kind'] },
  { path: '/feed.json', keys: ['kind'] },
  { path: `/api/frameworks/${SLUG}/series`, keys: ['metric', 'range', 'format'] },
  { path: '/compare', keys: ['fw', 'metric', 'range', 'view', 'smooth', 'submitted'] },
  { path: '/compare/chart', keys: ['fw', 'metric', 'range', 'view', 'smooth'] },
  { path: '/compare.json', keys: ['fw', 'metric', 'range', 'view', 'smooth'] },
  { path: '/compare.csv', keys: ['fw', 'metric', 'range', 'view', 'smooth'] },
  { path: '/benchmarks', keys: ['variants'] },
  { path: '/status', keys: ['sync'] },
  { path: '/live/overview', keys: [] },
  { path: `/live/frameworks/${SLUG}`, keys: ['range'] },
  { path: '/live/compare', keys: ['fw', 'metric', 'range', 'view', 'smooth'] },
  { path: '/live/benchmarks', keys: ['variants'] },
  { path: '/live/status', keys: [] },
  { path: '/assets/:name', keys: [] },
  { path: '/healthz', keys: [] },
  { path: '/readyz', keys: [] },
  { path: '/metrics', keys: [] },
  { path: '/no/such/page', keys: [] },
]

// Values a route accepts, so generated cases reach past the first validator.
const GOOD = ['express', 'fastapi', 'rails', 'express,flask', '30d', '90d', '1y', '3y', 'all', 'downloads', 'stars', 'stars_retained', 'releases', 'log', 'indexed', 'share', 'absolute', '7d', '28d', 'none', 'csv', 'json', 'all', 'one', 'release,major', 'prerelease', 'npm,github', '1']
const HOSTILE = [
  "' OR 1=1 --",
  '1; DROP TABLE observations; --',
  "express' UNION SELECT password FROM pg_shadow --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  '',
  ' ',
  'null',
  '[]',
  '{"a":1}',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '36500d',
  '\u202eexpress',
  '💥',
  '\u0000',
  '\r\nSet-Cookie: x=1',
  'a'.repeat(10_000),
  'express,'.repeat(2_000),
]
// Written into the URL as they are: bad percent-encoding, invalid UTF-8, a lone surrogate, NUL.
const RAW = ['%', '%z', '%zz', '%%', '%C3%28', '%FF%FE', '%ED%A0%80', '%C0%AF', '%E2%82', '%00', '%0D%0A', '%2e%2e%2f', '%252e']

type Part = { raw: string } | { text: string }
const part: fc.Arbitrary<Part> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...GOOD).map((text) => ({ text })) },
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE).map((text) => ({ text })) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW).map((raw) => ({ raw })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((text) => ({ text })) },
)

/** Percent-encoding that never throws: a lone surrogate goes out as UTF-8's replacement bytes. */
function encode(p: Part): string {
  if ('raw' in p) return p.raw
  try {
    return encodeURIComponent(p.text)
  } catch {
    return [...Buffer.from(p.text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
  }
}

const requestCase = fc
  .record({
    route: fc.constantFrom(...ROUTES),
    slug: fc.oneof(fc.constantFrom('express', 'phoenix', 'django').map((text): Part => ({ text })), part),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('range', 'metric', 'fw', 'view', 'smooth', 'kind', 'format', 'variants', 'sync').map((text): Part => ({ text })), part), part), { maxLength: 8 }),
    bareKey: fc.boolean(),
  })
  .map(({ route, slug, query, bareKey }) => {
    const path = route.path.replace(SLUG, encode(slug)).replace(':name', encode(slug))
    const search = query.map(([k, v]) => (bareKey && query.length === 1 ? encode(k) : `${encode(k)}=${encode(v)}`)).join('&')
    return search ? `${path}?${search}` : path
  })

interface Answer {
  status: number
  type: string
  body: string
}

function get(path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, { agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within 10 s`)))
    req.on('error', reject)
  })
}

/** The words a client error gives its reader: JSON's `error`, or the text of the page. */
function message(a: Answer): string {
  if (a.type.includes('json')) return String((JSON.parse(a.body) as { error?: unknown }).error ?? '')
  return a.body.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
}

const statuses = new Map<number, number>()


// What is tried here is the HTTP edge, not the database: `.ci/run` runs it on PGlite, and on
// PostgreSQL only in full mode (RELIABILITY=full), to keep CI's second pass short.
describe.skipIf(TEST_DATABASE_URL !== undefined && process.env.RELIABILITY !== 'full')('hostile paths and query strings', () => {
  beforeAll(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
    server = await startAppServer({ db: t.db, dbKind: t.handle.kind, catalog: t.catalog })
  })
  afterAll(async () => {
    agent.destroy()
    await server?.close()
    console.info(`fuzz: ${CASES} cases, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
  })

  it(`${CASES} generated requests: never a 5xx, every 4xx says what was wrong`, async () => {
    const property = fc.asyncProperty(requestCase, async (path) => {
      const answer = await get(path)
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
      expect(answer.status, path).toBeLessThan(500)
      if (answer.status >= 400) expect(message(answer).length, `${path}: ${answer.body.slice(0, 200)}`).toBeGreaterThan(8)
    })
    // A counterexample can be a 20 KB URL: the report keeps its first 3,000 characters.
    const report = await fc.check(property, { numRuns: CASES, seed: SEED, endOnFailure: true })
    if (report.failed) expect.fail(fc.defaultReportMessage(report)!.slice(0, 3000))
    // The cases reached the handlers, not only the validators.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(CASES / 20)
    expect(statuses.get(400) ?? 0).toBeGreaterThan(CASES / 20)
  }, Math.max(600_000, CASES * 20))
})
