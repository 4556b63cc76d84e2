import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { daysBetween } from '../../src/days.js'
import { runSource } from '../../src/jobs/run-source.js'
import { packagistSource, type PackagistOptions } from '../../src/jobs/sources/packagist.js'
import { dbChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import {
  CREATED,
  P2_LAST_MODIFIED,
  P2_PATH,
  packagistDownloadsOn,
  servePackagist,
  STATS_PATH,
  statsBody,
} from '../helpers/packagist-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const NEXT_DAY = new Date('2026-11-26T12:00:00Z')
const LARAVEL = 'laravel/framework'
const t = useTestDatabase()
const fake = useFakeUpstream()

interface Run {
  now?: Date
  env?: Record<string, string>
  catalog?: CatalogEntry[]
  backfill?: boolean
  options?: Partial<PackagistOptions>
}

function packagist({
  now = NOW,
  env = {},
  catalog = t.catalog,
  options = {},
  backfill = false,
}: Run = {}) {
  const source = packagistSource({ baseUrl: fake.url, ...options })
  const ctx = testRunContext(t.db, catalog, testConfig(fake.url, env), now)
  return runSource({ ...ctx, backfill }, source)
}

const { counts, valueOn } = dbChecks(t)
const downloads = (day: string) => valueOn(LARAVEL, day)

async function runs() {
  return t.db
    .selectFrom('job_runs')
    .innerJoin('frameworks', 'frameworks.id', 'job_runs.framework_id')
    .select([
      'frameworks.slug',
      'job_runs.source',
      'job_runs.signal',
      'job_runs.status',
      'job_runs.error',
      'job_runs.rows_written',
      'job_runs.not_modified',
    ])
    .orderBy('job_runs.id')
    .execute()
}

/** The stats body the server would send for this query, with one day's value replaced. */
function statsWith(query: string, today: string, day: string, value: number | string) {
  const body = JSON.parse(statsBody(LARAVEL, new URLSearchParams(query), today))
  body.values[LARAVEL][body.labels.indexOf(day)] = value
  return body
}

const FIRST_DAYS = daysBetween(CREATED[LARAVEL]!, '2026-11-23') + 1
const json = { 'content-type': 'application/json' }

describe('Packagist sync against the fake upstream', () => {
  it('fills the whole daily history and the tagged releases of Laravel', async () => {
    servePackagist(fake, { today: '2026-11-25' })
    const results = await packagist()
    // Laravel is the only framework with a Packagist package.
    expect(results.map((r) => [r.framework, r.status, r.rowsWritten])).toEqual([
      ['laravel', 'succeeded', FIRST_DAYS + 7],
    ])
    // One row per signal: the stats and p2 are separate endpoints.
    const run = { slug: 'laravel', source: 'packagist', status: 'succeeded', error: null, not_modified: 0 }
    expect(await runs()).toEqual([
      { ...run, signal: 'downloads', rows_written: FIRST_DAYS },
      { ...run, signal: 'releases', rows_written: 7 },
    ])
    // Daily on purpose; no `from`, so the series starts when the package did; `to` two days ago.
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/packages/laravel/framework/stats/all.json?average=daily&to=2026-11-23',
      '/p2/laravel/framework.json',
    ])
    expect(await counts()).toEqual({ observations: FIRST_DAYS, releases: 7 })
    const span = await t.db
      .selectFrom('observations')
      .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
      .executeTakeFirstOrThrow()
    expect(span).toEqual({ first: CREATED[LARAVEL], last: '2026-11-23' })
    // A Sunday and a Monday: daily counts, not a week's mean.
    expect(await downloads('2026-11-22')).toBe(packagistDownloadsOn('2026-11-22'))
    expect(await downloads('2026-11-23')).toBe(packagistDownloadsOn('2026-11-23'))

    const releases = await t.db.selectFrom('releases').selectAll().orderBy('published_at').execute()
    expect(releases.map((r) => [r.version, r.prerelease])).toEqual([
      ['v4.0.0-BETA4', true],
      ['v4.0.0', false],
      ['v11.0.0', false],
      ['v11.44.0', false],
      ['v12.0.0', false],
      ['v12.0.1', false],
      ['v12.1.0', false],
    ])
    expect(releases.at(-1)).toMatchObject({
      source: 'packagist',
      subject: LARAVEL,
      url: 'https://packagist.org/packages/laravel/framework#v12.1.0',
    })
    expect(releases.at(-1)!.published_at.toISOString()).toBe('2025-03-04T15:08:41.000Z')
  })

  it('a second sync writes nothing, re-reads three days and asks for p2 with If-Modified-Since', async () => {
    servePackagist(fake, { today: '2026-11-25' })
    await packagist()
    const before = await counts()
    fake.reset()
    servePackagist(fake, { today: '2026-11-25' })

    const [laravel] = await packagist()
    expect(laravel).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(await counts()).toEqual(before)
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/packages/laravel/framework/stats/all.json?average=daily&from=2026-11-20&to=2026-11-23',
      '/p2/laravel/framework.json',
    ])
    expect(fake.requestsTo(P2_PATH)[0]!.headers['if-modified-since']).toBe(P2_LAST_MODIFIED)
  })

  it('the next day adds one day and corrects one read as 0 before its nightly sync', async () => {
    servePackagist(fake, { today: '2026-11-25' })
    fake.on(STATS_PATH, (_req, m) => ({ body: statsWith(m[2]!, '2026-11-25', '2026-11-23', 0) }))
    await packagist()
    expect(await downloads('2026-11-23')).toBe(0)
    fake.reset()
    servePackagist(fake, { today: '2026-11-26' })

    const [laravel] = await packagist({ now: NEXT_DAY })
    expect(laravel).toMatchObject({ status: 'succeeded', rowsWritten: 2, notModified: 1 })
    expect(fake.requestsTo(STATS_PATH)[0]!.path).toMatch(
      /\?average=daily&from=2026-11-20&to=2026-11-24$/,
    )
    expect(await downloads('2026-11-23')).toBe(packagistDownloadsOn('2026-11-23'))
    expect(await downloads('2026-11-24')).toBe(packagistDownloadsOn('2026-11-24'))
    expect(await counts()).toEqual({ observations: FIRST_DAYS + 1, releases: 7 })
  })

  it('a backfill reads the whole history again, and p2 unconditionally', async () => {
    servePackagist(fake, { today: '2026-11-25' })
    await packagist()
    const before = await counts()
    fake.reset()
    servePackagist(fake, { today: '2026-11-25' })

    const [laravel] = await packagist({ backfill: true })
    expect(laravel).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 0 })
    expect(fake.requests.map((r) => [r.path, r.headers['if-modified-since']])).toEqual([
      ['/packages/laravel/framework/stats/all.json?average=daily&to=2026-11-23', undefined],
      ['/p2/laravel/framework.json', undefined],
    ])
    expect(await counts()).toEqual(before)
  })

  it('stores no day for a package younger than two days (the server’s placeholder)', async () => {
    servePackagist(fake, { today: '2025-09-02' })
    const [laravel] = await packagist({ now: new Date('2025-09-02T12:00:00Z') })
    const [stats] = fake.requestsTo(STATS_PATH)
    expect(stats!.path).toBe(
      '/packages/laravel/framework/stats/all.json?average=daily&to=2025-08-31',
    )
    expect(laravel).toMatchObject({ status: 'succeeded', rowsWritten: 7 })
    expect(await counts()).toEqual({ observations: 0, releases: 7 })
  })

  it('reads p2 from repoUrl when given', async () => {
    servePackagist(fake, { today: '2026-11-25' })
    fake.on(/^\/mirror\/p2\/laravel\/framework\.json$/, {
      body: fixture('packagist/p2-laravel-framework.json'),
    })
    const [laravel] = await packagist({ options: { repoUrl: `${fake.url}/mirror` } })
    expect(laravel!.status).toBe('succeeded')
    expect(fake.requestsTo(/^\/mirror\/p2\//)).toHaveLength(1)
    expect(fake.requestsTo(/^\/p2\//)).toHaveLength(0)
  })

  it('records a 404 for an unknown package, and for a p2 file that is gone', async () => {
    servePackagist(fake, { today: '2026-11-25' })
    const catalog = t.catalog.map((f) =>
      f.slug === 'laravel' ? { ...f, packages: { packagist: ['Laravel/Nope'] } } : f,
    )
    const [unknown] = await packagist({ catalog })
    expect(unknown!.error).toMatch(
      /^packagist \/ laravel: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/packages\/laravel\/nope\/stats\/all\.json\?average=daily&to=2026-11-23$/,
    )

    fake.on(P2_PATH, { status: 404, body: 'Not Found' })
    const [gone] = await packagist()
    expect(gone!.error).toMatch(
      /^packagist \/ laravel: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/p2\/laravel\/framework\.json$/,
    )
    // p2's 404 costs the releases only: the stats, another endpoint, are stored.
    expect(await counts()).toEqual({ observations: FIRST_DAYS, releases: 0 })
    expect((await runs()).map((r) => [r.signal, r.status, r.rows_written])).toEqual([
      ['downloads', 'failed', 0],
      ['releases', 'failed', 0],
      ['downloads', 'succeeded', FIRST_DAYS],
      ['releases', 'failed', 0],
    ])
  })

  describe('a broken upstream leaves earlier data untouched', () => {
    async function withEarlierData() {
      servePackagist(fake, { today: '2026-11-25' })
      await packagist()
      fake.reset()
      servePackagist(fake, { today: '2026-11-26' })
      return counts()
    }

    /**
     * The failing signal's row names the error and its data is as before; the other signal, on
     * another endpoint, went on: a p2 failure still adds the new day's downloads.
     */
    async function expectIntact(before: { observations: number; releases: number }, error: string, signal: 'downloads' | 'releases' = 'downloads') {
      const moved = signal === 'releases'
      expect(await counts()).toEqual({ ...before, observations: before.observations + (moved ? 1 : 0) })
      expect(await downloads('2026-11-23')).toBe(packagistDownloadsOn('2026-11-23'))
      expect(await downloads('2026-11-24')).toBe(moved ? packagistDownloadsOn('2026-11-24') : undefined)
      expect((await runs()).filter((r) => r.signal === signal).at(-1)).toMatchObject({ status: 'failed', error, rows_written: 0 })
    }

    it('malformed JSON', async () => {
      const before = await withEarlierData()
      fake.on(STATS_PATH, { headers: json, body: '{"labels":["2026-11-20",' })
      const [laravel] = await packagist({ now: NEXT_DAY })
      expect(laravel!.error).toMatch(
        /^packagist \/ laravel: malformed JSON from http:\/\/127\.0\.0\.1:\d+\/packages\/laravel\/framework\/stats\/all\.json\?average=daily&from=2026-11-20&to=2026-11-24: /,
      )
      await expectIntact(before, laravel!.error!)
    })

    it('a count of the wrong type names the URL and the failing field', async () => {
      const before = await withEarlierData()
      fake.on(STATS_PATH, (_req, m) => ({
        body: statsWith(m[2]!, '2026-11-26', '2026-11-22', 'lots'),
      }))
      const [laravel] = await packagist({ now: NEXT_DAY })
      expect(laravel!.error).toMatch(
        /^packagist \/ laravel: unexpected response from http:\/\/127\.0\.0\.1:\d+\/packages\/laravel\/framework\/stats\/all\.json\?\S+: values\.laravel\/framework\[2\]: /,
      )
      await expectIntact(before, laravel!.error!)
    })

    it('weekly means instead of daily counts are refused, not spread over days', async () => {
      const before = await withEarlierData()
      fake.on(STATS_PATH, () => ({
        body: JSON.parse(
          statsBody(
            LARAVEL,
            new URLSearchParams('average=weekly&from=2026-11-10&to=2026-11-24'),
            '2026-11-26',
          ),
        ),
      }))
      const [laravel] = await packagist({ now: NEXT_DAY })
      expect(laravel!.error).toMatch(/stats\/all\.json\?\S+: average: /)
      await expectIntact(before, laravel!.error!)
    })

    it('a p2 version of the wrong shape names its index as served', async () => {
      const before = await withEarlierData()
      const body = fixture('packagist/p2-laravel-framework.json') as {
        packages: Record<string, Array<Record<string, unknown>>>
      }
      body.packages[LARAVEL]![2]!.time = 'last spring'
      fake.on(P2_PATH, { body })
      const [laravel] = await packagist({ now: NEXT_DAY })
      expect(laravel!.error).toMatch(
        /^packagist \/ laravel: unexpected response from http:\/\/127\.0\.0\.1:\d+\/p2\/laravel\/framework\.json: packages\.laravel\/framework\[2\]\.time: /,
      )
      await expectIntact(before, laravel!.error!, 'releases')
    })

    it('a 500 is retried, then succeeds', async () => {
      await withEarlierData()
      fake.on(
        P2_PATH,
        { status: 500, body: 'oops' },
        { status: 502, body: 'bad gateway' },
        { body: fixture('packagist/p2-laravel-framework.json') },
      )
      const [laravel] = await packagist({ now: NEXT_DAY })
      expect(laravel).toMatchObject({ status: 'succeeded', rowsWritten: 1 })
      expect(fake.requestsTo(P2_PATH)).toHaveLength(3)
    })

    it('Packagist’s 429 (a JSON string, Retry-After one year) stops the source', async () => {
      const before = await withEarlierData()
      fake.on(STATS_PATH, {
        status: 429,
        headers: { ...json, 'retry-after': '31536000' },
        body: '"Please use a proper user-agent with contact information or get in touch before abusing the API"',
      })
      const asked = Date.now()
      const [laravel] = await packagist({ now: NEXT_DAY })
      const refused = /^packagist \/ laravel: rate limited until (\S+) \(http:\/\/127\.0\.0\.1:\d+\/packages\/laravel\/framework\/stats\/all\.json\?\S+\)$/
      expect(laravel!.error).toMatch(refused)
      // Retry-After counts from when the answer came (the machine's clock, not the run's), whatever day the suite runs.
      const waitMs = Date.parse(refused.exec(laravel!.error!)![1]!) - asked
      expect(waitMs).toBeGreaterThanOrEqual(31_536_000_000)
      expect(waitMs).toBeLessThan(31_536_000_000 + 60_000)
      // p2 is on the same host, which said "slow down": it waits, asked nothing, not failed.
      expect(fake.requestsTo(P2_PATH)).toHaveLength(0)
      expect(laravel!.signals!.map((s) => s.status)).toEqual(['failed', 'waiting'])
      await expectIntact(before, laravel!.error!)
    })

    it('a 429 with a short Retry-After is waited out', async () => {
      await withEarlierData()
      fake.on(
        STATS_PATH,
        { status: 429, headers: { 'retry-after': '1' }, body: '"slow down"' },
        (_req, m) => ({
          headers: json,
          body: statsBody(LARAVEL, new URLSearchParams(m[2]!), '2026-11-26'),
        }),
      )
      const [laravel] = await packagist({ now: NEXT_DAY })
      expect(laravel).toMatchObject({ status: 'succeeded', rowsWritten: 1 })
      expect(fake.requestsTo(STATS_PATH)).toHaveLength(2)
    })

    it('a hung request times out', async () => {
      const before = await withEarlierData()
      fake.on(P2_PATH, { hang: true })
      const [laravel] = await packagist({
        now: NEXT_DAY,
        env: { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' },
      })
      expect(laravel!.error).toMatch(
        /^packagist \/ laravel: request to http:\/\/127\.0\.0\.1:\d+\/p2\/laravel\/framework\.json failed: timed out$/,
      )
      await expectIntact(before, laravel!.error!, 'releases')
    })
  })
})
