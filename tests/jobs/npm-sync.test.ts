import { describe, expect, it } from 'vitest'
import { npmSource } from '../../src/jobs/sources/npm.js'
import { runSource } from '../../src/jobs/run-source.js'
import { sources } from '../../src/jobs/sources/index.js'
import { dbChecks, ISO_INSTANT, literally } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, fixture, RANGE_PATH, rangeBody, serveNpm } from '../helpers/npm-upstream.js'
import { unusedPort } from '../helpers/ports.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()
// The downloads API on a host of its own, as api.npmjs.org is apart from registry.npmjs.org.
const api = useFakeUpstream()

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
    expect(await counts()).toEqual({ observations: 2 * 548, releases: 13 + 4 })
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

  it('flags prereleases, loose ones too, and ignores versions no longer in the packument', async () => {
    serveNpm(fake)
    await npm()
    const releases = await t.db.selectFrom('releases').select(['version', 'prerelease', 'published_at', 'url']).where('subject', '=', 'express').orderBy('version').execute()
    expect(releases.map((r) => [r.version, r.prerelease])).toEqual([
      // npm's early versions put the pre-release right after the patch number (semver loose).
      ['1.0.0beta', true],
      ['1.0.0beta2', true],
      ['1.0.0rc', true],
      ['1.0.0rc2', true],
      ['1.0.0rc3', true],
      ['1.0.0rc4', true],
      ['2.0.0beta', true],
      ['3.0.0alpha5', true],
      ['4.21.2', false],
      ['4.22.0', false],
      ['5.0.0', false],
      ['5.0.0-beta.3', true],
      ['5.1.0', false],
    ])
    expect(releases[8]!.published_at.toISOString()).toBe('2024-12-05T22:57:09.540Z')
    expect(releases[8]!.url).toBe('https://www.npmjs.com/package/express/v/4.21.2')
  })

  it('records a 404 for an unknown package against that framework and signal only', async () => {
    serveNpm(fake)
    fake.on(/^\/@nestjs%2Fcore$/, { status: 404, body: fixture('npm/error-404.json') })
    const results = await npm()
    expect(results.find((r) => r.framework === 'express')!.status).toBe('succeeded')
    const nest = results.find((r) => r.framework === 'nestjs')!
    expect(nest.status).toBe('failed')
    expect(nest.error).toMatch(/^npm \/ nestjs: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/@nestjs%2Fcore$/)
    const runs = await runsFor('nestjs')
    expect(runs.map((r) => [r.signal, r.status, r.rows_written, r.error])).toEqual([
      ['downloads', 'succeeded', 548, null],
      ['releases', 'failed', 0, nest.error],
    ])
    // The packument's 404 costs nestjs its releases only: its downloads, another endpoint, are stored.
    const stored = await t.db.selectFrom('observations').select('subject').distinct().orderBy('subject').execute()
    expect(stored.map((r) => r.subject)).toEqual(['@nestjs/core', 'express'])
    expect(await counts('@nestjs/core')).toEqual({ observations: 548, releases: 0 })
  })

  it('with the downloads API unreachable, the registry still gives every release; the downloads row names the host', async () => {
    const port = await unusedPort()
    serveNpm(fake)
    const results = await npm({ NPM_API_URL: `http://127.0.0.1:${port}`, HTTP_RETRIES: '0' })
    expect(results.map((r) => [r.framework, r.status])).toEqual([
      ['express', 'failed'],
      ['nestjs', 'failed'],
    ])
    // Every version of each packument that has a publish time.
    const versions = (pkg: string) => {
      const doc = fixture(`npm/packument-${pkg}.json`) as { versions: object; time: Record<string, string> }
      return Object.keys(doc.versions).filter((v) => v in doc.time).length
    }
    expect(await counts()).toEqual({ observations: 0, releases: versions('express') + versions('nestjs-core') })
    const runs = await runsFor('express')
    expect(runs.map((r) => [r.signal, r.status])).toEqual([
      ['downloads', 'failed'],
      ['releases', 'succeeded'],
    ])
    expect(runs[0]!.error).toMatch(new RegExp(`^npm / express: request to http://127\\.0\\.0\\.1:${port}/downloads/range/[^ ]+ failed: ECONNREFUSED$`))
    expect(runs[1]).toMatchObject({ rows_written: versions('express'), error: null })
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

    it('a 429 with a long Retry-After: that host is asked nothing more, each row under its own framework', async () => {
      const before = await withEarlierData()
      api.on(RANGE_PATH, { status: 429, headers: { 'retry-after': '3600', 'content-type': 'text/html' }, body: '<html>Access denied</html>' })
      const results = await npm({ NPM_API_URL: api.url })
      const refused = `${api.url}/downloads/range/2026-11-21:2026-11-24/express`
      expect(results.map((r) => r.signals!.map((s) => [s.signal, s.status]))).toEqual([
        [['downloads', 'failed'], ['releases', 'succeeded']],
        [['downloads', 'waiting'], ['releases', 'succeeded']],
      ])
      expect(results[0]!.error).toMatch(new RegExp(`^npm / express: rate limited until ${ISO_INSTANT} \\(${literally(refused)}\\)$`))
      const host = new URL(api.url).host
      expect(results[1]!.error).toMatch(
        new RegExp(`^npm / nestjs: waiting for the rate limit until ${ISO_INSTANT} \\(${literally(host)} refused a request for express: ${literally(refused)}; nothing asked\\)$`),
      )
      // The downloads API was not asked for nestjs once it said "slow down"; the registry was.
      expect(api.requestsTo(/nestjs/)).toHaveLength(0)
      expect(fake.requestsTo(/^\/@nestjs%2Fcore$/)).toHaveLength(1)
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
