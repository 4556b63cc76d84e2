import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import type { FakeResponse, RecordedRequest } from '../helpers/fake-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import { unusedPort } from '../helpers/ports.js'
import { seedAllSources, type AllUpstreams } from '../helpers/seed-sources.js'
import { TEST_DATABASE_URL, useTestDatabase } from '../helpers/test-db.js'

// Issue 12, "Upstream faults": every source meets every fault on every request it makes, after a
// first sync stored its data. Each run must end failed or waiting (never a crash or a hang), name
// its source and framework, ask a bounded number of times, and leave every stored row as it was;
// the source run beside it (npm, or PyPI beside npm) completes. Quick mode runs the faults that
// cost no waiting on every source and the slow ones on npm; RELIABILITY=full runs all everywhere.
const FULL = process.env.RELIABILITY === 'full'
const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase({ once: true })

type FakeName = keyof AllUpstreams['fakes']
const JOBS: Record<string, FakeName> = {
  guide: 'guide',
  npm: 'npm',
  pypi: 'pypi',
  packagist: 'packagist',
  rubygems: 'rubygems',
  nuget: 'nuget',
  hex: 'hex',
  maven: 'maven',
  github: 'github',
  techempower: 'benchmarks',
  'the-benchmarker': 'benchmarks',
}

/** Every number in a JSON body as a string: a field changing type. */
const stringified = (body: unknown) => JSON.parse(JSON.stringify(body), (_k, v: unknown) => (typeof v === 'number' ? String(v) : v)) as unknown
/** Every list in a JSON body emptied: a source that suddenly has no history. */
const emptied = (body: unknown) => JSON.parse(JSON.stringify(body), (_k, v: unknown) => (Array.isArray(v) ? [] : v)) as unknown
/** The healthy answer with its JSON body changed by `change`; any other answer (a 304, XML) as it is. */
function distorted(r: FakeResponse, change: (body: unknown) => unknown): FakeResponse {
  if ((r.status ?? 200) !== 200) return r
  try {
    return { ...r, body: change(typeof r.body === 'string' ? JSON.parse(r.body) : r.body) }
  } catch {
    return r
  }
}

type Distort = (req: RecordedRequest, below: () => FakeResponse) => FakeResponse
interface Fault {
  name: string
  /** Worth a wait (timeouts, drips): on npm only in quick mode. */
  slow?: boolean
  /** A run may end 'succeeded' if nothing it stored changed (an empty list is a valid answer). */
  mayPass?: boolean
  respond?: Distort
}

const FAULTS: Fault[] = [
  { name: 'connection refused' },
  { name: 'reset mid-body', respond: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: `{"downloads":[${'1,'.repeat(5000)}1]}`, dropAfterBytes: 64 }) },
  { name: 'hang', slow: true, respond: () => ({ hang: true }) },
  { name: 'slow drip', slow: true, respond: () => ({ status: 200, body: `{"a":"${'x'.repeat(200)}"}`, chunkBytes: 1, pieceDelayMs: 50 }) },
  { name: 'HTTP 500', respond: () => ({ status: 500, body: 'Internal Server Error' }) },
  { name: '502 with an HTML page', respond: () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>' }) },
  { name: '429 Retry-After in seconds', respond: () => ({ status: 429, headers: { 'retry-after': '3600' }, body: '' }) },
  { name: '429 Retry-After as an HTTP date', respond: () => ({ status: 429, headers: { 'retry-after': new Date(Date.now() + 7_200_000).toUTCString() }, body: '' }) },
  { name: '429 without headers', respond: () => ({ status: 429, body: 'Too Many Requests' }) },
  // GitHub's two limits (github.md): the primary spent (403, remaining 0 until the reset) and the
  // secondary one (403 with Retry-After and its message); other sources take them as any 403.
  {
    name: "GitHub's primary rate limit",
    respond: () => ({
      status: 403,
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1800) },
      body: fixture('github/error-ratelimit-403-2013.json'),
    }),
  },
  {
    name: "GitHub's secondary rate limit",
    respond: () => ({
      status: 403,
      headers: { 'retry-after': '60' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
    }),
  },
  {
    name: "GitHub's secondary rate limit, in the message only",
    respond: () => ({ status: 403, body: { message: 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation.' } }),
  },
  { name: 'truncated JSON', respond: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"downloads":[{"day":"2026-11-2' }) },
  { name: 'valid JSON of the wrong shape', respond: () => ({ status: 200, body: { message: 'hello', items: 'none' } }) },
  // A field the adapter reads fails the run, naming it; one it ignores changes nothing stored.
  { name: 'a field changing type', mayPass: true, respond: (_req, below) => distorted(below(), stringified) },
  { name: 'a body over the size cap', respond: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: `{"a":"${'x'.repeat((FULL ? 100 : 3) * 1024 * 1024)}"}` }) },
  { name: 'an empty list where history existed', mayPass: true, respond: (_req, below) => distorted(below(), emptied) },
  { name: 'a redirect loop', respond: (req) => ({ status: 302, headers: { location: req.path }, body: '' }) },
  { name: 'a redirect to another host', respond: () => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' }, body: '' }) },
]

let up: AllUpstreams
let deadUrl: string
// Sampled every 50 ms: a body over the cap must be dropped as it streams in, not held. The fake
// upstream runs in this process too, so its copy of the body is counted as well.
let peakRss = 0
let sampler: NodeJS.Timeout | undefined
const ALL = /.*/

/** A digest of every stored row a source writes: it must not move under a fault. */
async function stored(): Promise<Record<string, string>> {
  const digest = async (table: string) =>
    (await sql<{ d: string }>`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as d from ${sql.table(table)} t`.execute(t.db)).rows[0]!.d
  const tables = ['observations', 'releases', 'guide_sections', 'benchmark_runs', 'benchmark_results']
  return Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await digest(name)])))
}

/** The environment pointing `job`'s upstream at a port where nothing listens. */
function refusedEnv(job: string): Record<string, string> {
  const base = up.fakes[JOBS[job]!].url
  return Object.fromEntries(Object.entries(up.env).filter(([, v]) => v.startsWith(base)).map(([k, v]) => [k, v.replace(base, deadUrl)]))
}


const cases = Object.keys(JOBS).flatMap((job) => FAULTS.filter((f) => FULL || !f.slow || job === 'npm').map((fault) => [job, fault.name, fault] as const))

// What is tried here is the HTTP edge, not the database: `.ci/run` runs it on PGlite, and on
// PostgreSQL only in full mode (RELIABILITY=full), to keep CI's second pass short.
describe.skipIf(TEST_DATABASE_URL !== undefined && process.env.RELIABILITY !== 'full')('every source under every upstream fault', () => {
  beforeAll(async () => {
    up = await startAllUpstreams(NOW)
    deadUrl = `http://127.0.0.1:${await unusedPort()}`
    const first = await seedAllSources(t, up, NOW)
    expect(first.filter((r) => r.status !== 'succeeded')).toEqual([])
  }, 180_000)
  beforeAll(() => {
    sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50)
  })
  afterAll(async () => {
    clearInterval(sampler)
    await up?.stop()
    console.info(`upstream faults: ${cases.length} cases (${FULL ? 'full' : 'quick'} mode), peak RSS ${Math.round(peakRss / 2 ** 20)} MB`)
  })

  it.each(cases)('%s: %s', async (job, _name, fault) => {
    const fake = up.fakes[JOBS[job]!]
    const beside = job === 'npm' ? 'pypi' : 'npm'
    const before = await stored()
    const asked = fake.requests.length
    // A distortion of the real body must reach the parser: the healthy answer below is asked
    // unconditionally (a steady-state re-sync is all 304s, which no distortion changes).
    const unconditional = (req: RecordedRequest) => ({ ...req, headers: { ...req.headers, 'if-none-match': undefined, 'if-modified-since': undefined } })
    if (fault.respond) fake.on(ALL, (req) => fault.respond!(req, () => fake.answerBelow(unconditional(req))))
    // Quick timeouts and one retry: the faults are certain, waiting longer proves nothing more.
    const env = { ...up.env, HTTP_TIMEOUT_MS: '400', HTTP_RETRIES: '1', HTTP_BACKOFF_MS: '5', HTTP_MAX_BODY_MB: '2', ...(fault.respond ? {} : refusedEnv(job)) }
    try {
      const results = await seedAllSources(t, { ...up, env }, NOW, [job, beside])
      const mine = results.filter((r) => r.source === job)
      expect(mine.length, 'the source reported its frameworks').toBeGreaterThan(0)
      // A published TFB results file is imported once and never asked for again: no fault on its
      // host reaches it (a URL moved to a dead port is a new file, and fails).
      const immutable = job === 'techempower' && fault.respond !== undefined
      if (immutable) {
        expect(fake.requests.length - asked).toBe(0)
        expect(mine.map((r) => r.status)).toEqual(['succeeded'])
      }
      for (const r of mine) {
        if ((fault.mayPass || immutable) && r.status === 'succeeded') continue
        expect(r.status, `${r.framework}: ${r.error}`).toMatch(/^(failed|waiting)$/)
        // "npm / express: …"; a job over every framework at once (the guide, benchmarks): "guide: …".
        expect(r.error, r.framework).toMatch(new RegExp(`^${job}${r.framework === '*' ? '' : ` / ${r.framework}`}: `))
      }
      // The source beside it is untouched by the fault.
      expect(results.filter((r) => r.source === beside && r.status !== 'succeeded')).toEqual([])
      // Retries are bounded: at most two tries per request a healthy run makes, with headroom.
      expect(fake.requests.length - asked).toBeLessThan(600)
      // Nothing stored was changed or lost, an empty list included.
      expect(await stored()).toEqual(before)
      // /status reads job_runs: each failing framework's row carries the same error.
      const rows = await t.db.selectFrom('job_runs').select(['status', 'error']).where('job', '=', job).where('status', 'in', ['failed', 'waiting']).execute()
      if (mine.some((r) => r.status !== 'succeeded')) expect(rows.length).toBeGreaterThan(0)
    } finally {
      fake.off(ALL)
      // The next case starts in a new rate-limit window: a budget this one stored as spent would
      // rightly keep the next run of the source from asking at all.
      await t.db.deleteFrom('source_state').where('key', '=', 'rate_limit').execute()
    }
  }, 120_000)
})
