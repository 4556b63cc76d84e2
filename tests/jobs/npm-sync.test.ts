import { describe, expect, it } from 'vitest'
import { npmSource } from '../../src/jobs/sources/npm.js'
import { runSource } from '../../src/jobs/run-source.js'
import { sources } from '../../src/jobs/sources/index.js'
import { dbChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, fixture, RANGE_PATH, rangeBody, serveNpm } from '../helpers/npm-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()

function npm(env: Record<string, string> = {}) {
  const config = testConfig(fake.url, env)
  const source = sources(config).find((s) => s.source.name === 'npm')!.source
  return runSource(testRunContext(t.db, t.catalog, config, NOW), source)
}

const { counts, runsFor } = dbChecks(t)

describe('npm sync against the fake upstream', () => {
  it('backfills 548 days in spans of at most 540 days, scoped names encoded', async () => {
    serveNpm(fake)
    const results = await npm()
    expect(results.map((r) => [r.framework, r.status])).toEqual([
      ['express', 'succeeded'],
      ['nestjs', 'succeeded'],
    ])
    const ranges = fake.requestsTo(RANGE_PATH).map((r) => r.path)
    expect(ranges).toEqual([
      '/downloads/range/2025-05-26:2026-11-16/express',
      '/downloads/range/2026-11-17:2026-11-24/express',
      '/downloads/range/2025-05-26:2026-11-16/@nestjs%2Fcore',
      '/downloads/range/2026-11-17:2026-11-24/@nestjs%2Fcore',
    ])
    expect(fake.requests.every((r) => /^FrameworkPulse\//.test(String(r.headers['user-agent'])))).toBe(true)

    const day = await t.db
      .selectFrom('observations')
      .selectAll()
      .where('subject', '=', '@nestjs/core')
      .where('day', '=', '2026-11-24')
      .executeTakeFirstOrThrow()
    expect(day).toMatchObject({ source: 'npm', metric: 'downloads', value: downloadsOn('@nestjs/core', '2026-11-24') })
    expect(await counts()).toEqual({ observations: 2 * 548, releases: 5 + 4 })
  })

  it('a second sync writes nothing new and asks for the packuments conditionally', async () => {
    serveNpm(fake)
    await npm()
    const before = await counts()
    fake.reset()
    serveNpm(fake)

    const second = await npm()
    expect(second.map((r) => r.rowsWritten)).toEqual([0, 0])
    expect(second.map((r) => r.notModified)).toEqual([1, 1])
    expect(await counts()).toEqual(before)
    // Only the last few days are read again, in one request per package.
    expect(fake.requestsTo(RANGE_PATH).map((r) => r.path)).toEqual([
      '/downloads/range/2026-11-21:2026-11-24/express',
      '/downloads/range/2026-11-21:2026-11-24/@nestjs%2Fcore',
    ])
    expect(fake.requestsTo(/^\/express$/)[0]!.headers['if-none-match']).toBe('"express-v1"')
  })

  it('flags prereleases and ignores versions no longer in the packument', async () => {
    serveNpm(fake)
    await npm()
    const releases = await t.db.selectFrom('releases').select(['version', 'prerelease', 'published_at', 'url']).where('subject', '=', 'express').orderBy('version').execute()
    expect(releases.map((r) => [r.version, r.prerelease])).toEqual([
      ['4.21.2', false],
      ['4.22.0', false],
      ['5.0.0', false],
      ['5.0.0-beta.3', true],
      ['5.1.0', false],
    ])
    expect(releases[0]!.published_at.toISOString()).toBe('2024-12-05T22:57:09.540Z')
    expect(releases[0]!.url).toBe('https://www.npmjs.com/package/express/v/4.21.2')
  })

  it('records a 404 for an unknown package against that framework only', async () => {
    serveNpm(fake)
    fake.on(/^\/@nestjs%2Fcore$/, { status: 404, body: fixture('npm/error-404.json') })
    const results = await npm()
    expect(results.find((r) => r.framework === 'express')!.status).toBe('succeeded')
    const nest = results.find((r) => r.framework === 'nestjs')!
    expect(nest.status).toBe('failed')
    expect(nest.error).toMatch(/^npm \/ nestjs: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/@nestjs%2Fcore$/)
    const [run] = await runsFor('nestjs')
    expect(run).toMatchObject({ status: 'failed', error: nest.error, rows_written: 0 })
    // Its downloads were fetched before the packument failed, yet nothing of it was stored.
    const stored = await t.db.selectFrom('observations').select('subject').distinct().execute()
    expect(stored.map((r) => r.subject)).toEqual(['express'])
  })

  describe('a broken upstream leaves earlier data untouched', () => {
    async function withEarlierData() {
      serveNpm(fake)
      await npm()
      fake.reset()
      serveNpm(fake)
      return counts()
    }

    it('malformed JSON', async () => {
      const before = await withEarlierData()
      fake.on(RANGE_PATH, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"downloads": [' })
      const [express] = await npm()
      expect(express!.error).toMatch(/^npm \/ express: malformed JSON from http:\/\/127\.0\.0\.1:\d+\/downloads\/range\/2026-11-21:2026-11-24\/express: /)
      expect(await counts()).toEqual(before)
    })

    it('valid JSON of the wrong shape names the failing field', async () => {
      const before = await withEarlierData()
      fake.on(RANGE_PATH, (_req, m) => {
        const body = rangeBody(decodeURIComponent(m[3]!), m[1]!, m[2]!)
        return { body: { ...body, downloads: body.downloads.map((d, i) => (i === 2 ? { ...d, downloads: 'many' } : d)) } }
      })
      const [express] = await npm()
      expect(express!.status).toBe('failed')
      expect(express!.error).toContain('downloads[2].downloads: ')
      expect(await counts()).toEqual(before)
      // The value stored for that day before the broken sync is still there.
      const kept = await t.db.selectFrom('observations').select('value').where('subject', '=', 'express').where('day', '=', '2026-11-23').executeTakeFirstOrThrow()
      expect(kept.value).toBe(downloadsOn('express', '2026-11-23'))
    })

    it('a 500 is retried, then succeeds', async () => {
      await withEarlierData()
      fake.on(/^\/express$/, { status: 500, body: 'upstream exploded' }, { status: 500 }, (req) => ({
        status: 200,
        body: fixture('npm/packument-express.json'),
        headers: { etag: req.headers['if-none-match'] === '"x"' ? '"x"' : '"express-v2"' },
      }))
      const [express] = await npm()
      expect(express!.status).toBe('succeeded')
      expect(fake.requestsTo(/^\/express$/)).toHaveLength(3)
    })

    it('a 500 that persists fails after the configured retries', async () => {
      const before = await withEarlierData()
      fake.on(/^\/express$/, { status: 503, body: 'down' })
      const [express] = await npm({ HTTP_RETRIES: '2' })
      expect(express!.error).toMatch(/HTTP 503 Service Unavailable from .*\/express$/)
      expect(fake.requestsTo(/^\/express$/)).toHaveLength(3)
      expect(await counts()).toEqual(before)
    })

    it('a 429 with a long Retry-After stops the source with "rate limited until"', async () => {
      const before = await withEarlierData()
      fake.on(RANGE_PATH, { status: 429, headers: { 'retry-after': '3600', 'content-type': 'text/html' }, body: '<html>Access denied</html>' })
      const results = await npm()
      expect(results.map((r) => r.status)).toEqual(['failed', 'failed'])
      expect(results[0]!.error).toMatch(/rate limited until \d{4}-\d{2}-\d{2}T/)
      expect(results[1]!.error).toBe(results[0]!.error)
      // The second framework was not asked for at all once npm said "slow down".
      expect(fake.requestsTo(/nestjs/)).toHaveLength(0)
      expect(await counts()).toEqual(before)
    })

    it('a hung request times out', async () => {
      const before = await withEarlierData()
      fake.on(/^\/express$/, { hang: true })
      const [express] = await npm({ HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' })
      expect(express!.error).toMatch(/^npm \/ express: request to .*\/express failed: timed out$/)
      expect(await counts()).toEqual(before)
    })
  })

  it('splits a long backfill into spans the API accepts', async () => {
    serveNpm(fake)
    const source = npmSource({ apiUrl: fake.url, registryUrl: fake.url, backfillDays: 1200 })
    await runSource(testRunContext(t.db, t.catalog.filter((f) => f.slug === 'express'), testConfig(fake.url), NOW), source)
    const spans = fake.requestsTo(RANGE_PATH).map((r) => r.path.match(RANGE_PATH)!.slice(1, 3))
    expect(spans).toEqual([
      ['2023-08-13', '2025-02-02'],
      ['2025-02-03', '2026-07-27'],
      ['2026-07-28', '2026-11-24'],
    ])
  })
})
