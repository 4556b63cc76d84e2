import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { runSource } from '../../src/jobs/run-source.js'
import { pypiSource } from '../../src/jobs/sources/pypi.js'
import { dbChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import {
  OVERALL_PATH,
  overallBody,
  PROJECT_PATH,
  projectEtag,
  PYPI_404,
  pypiDownloadsOn,
  servePypi,
} from '../helpers/pypi-upstream.js'
import { unusedPort } from '../helpers/ports.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const NEXT_DAY = new Date('2026-11-26T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()
// pypistats on a host of its own, as pypistats.org is apart from pypi.org.
const stats = useFakeUpstream()

interface Run {
  now?: Date
  env?: Record<string, string>
  catalog?: CatalogEntry[]
  backfill?: boolean
  statsUrl?: string
}

function pypi({ now = NOW, env = {}, catalog = t.catalog, backfill = false, statsUrl = fake.url }: Run = {}) {
  const source = pypiSource({ statsUrl, pypiUrl: fake.url })
  const ctx = testRunContext(t.db, catalog, testConfig(fake.url, env), now)
  return runSource({ ...ctx, backfill }, source)
}

const { counts, runsFor, valueOn: downloads } = dbChecks(t)

const overall = (pkg: string) => new RegExp(`^/api/packages/${pkg}/overall`)
const json = { 'content-type': 'application/json' }

describe('PyPI sync against the fake upstream', () => {
  it('fills 180 days and the releases of every PyPI framework, asking with PEP 503 names', async () => {
    servePypi(fake, { lastDay: '2026-11-24' })
    const results = await pypi()
    expect(results.map((r) => [r.framework, r.status, r.rowsWritten])).toEqual([
      ['django', 'succeeded', 180 + 6],
      ['fastapi', 'succeeded', 180 + 3],
      ['flask', 'succeeded', 180 + 4],
    ])
    // Normalized names from the start: no 301 from /pypi/Django/json, no 404 from pypistats.
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/api/packages/django/overall?mirrors=false',
      '/pypi/django/json',
      '/api/packages/fastapi/overall?mirrors=false',
      '/pypi/fastapi/json',
      '/api/packages/flask/overall?mirrors=false',
      '/pypi/flask/json',
    ])
    expect(await counts()).toEqual({ observations: 3 * 180, releases: 13 })

    const day = await t.db
      .selectFrom('observations')
      .selectAll()
      .where('subject', '=', 'Django')
      .where('day', '=', '2026-11-24')
      .executeTakeFirstOrThrow()
    expect(day).toMatchObject({
      source: 'pypi',
      metric: 'downloads',
      value: pypiDownloadsOn('django', '2026-11-24'),
    })
    const span = await t.db
      .selectFrom('observations')
      .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
      .where('subject', '=', 'Flask')
      .executeTakeFirstOrThrow()
    expect(span).toEqual({ first: '2026-05-29', last: '2026-11-24' })

    const flask = await t.db
      .selectFrom('releases')
      .selectAll()
      .where('subject', '=', 'Flask')
      .orderBy('published_at')
      .execute()
    expect(flask.map((r) => [r.version, r.prerelease])).toEqual([
      ['2.0.0rc1', true],
      ['3.0.0', false],
      ['3.1.0', false],
      ['3.1.1', false],
    ])
    // 3.1.0's wheel went up two seconds before its sdist.
    expect(flask[2]!.published_at.toISOString()).toBe('2024-11-13T18:24:38.000Z')
    expect(flask[2]!.url).toBe('https://pypi.org/project/flask/3.1.0/')
  })

  it('a second sync the same day writes nothing, leaves pypistats alone and asks PyPI conditionally', async () => {
    servePypi(fake, { lastDay: '2026-11-24' })
    await pypi()
    const before = await counts()
    fake.reset()
    servePypi(fake, { lastDay: '2026-11-24' })

    const second = await pypi()
    expect(second.map((r) => [r.status, r.rowsWritten, r.notModified])).toEqual([
      ['succeeded', 0, 1],
      ['succeeded', 0, 1],
      ['succeeded', 0, 1],
    ])
    expect(await counts()).toEqual(before)
    // Yesterday is stored: pypistats has nothing newer today (once a day, per its etiquette).
    expect(fake.requestsTo(OVERALL_PATH)).toHaveLength(0)
    expect(fake.requestsTo(/^\/pypi\/django\/json$/)[0]!.headers['if-none-match']).toBe(
      projectEtag('django'),
    )
    const run = (await runsFor('django')).filter((r) => r.signal === 'releases').at(-1)
    expect(run).toMatchObject({ status: 'succeeded', rows_written: 0, not_modified: 1 })
  })

  it('a backfill asks pypistats again and PyPI unconditionally, and still writes nothing new', async () => {
    servePypi(fake, { lastDay: '2026-11-24' })
    await pypi()
    const before = await counts()
    fake.reset()
    servePypi(fake, { lastDay: '2026-11-24' })

    const results = await pypi({ backfill: true })
    expect(results.map((r) => [r.status, r.rowsWritten, r.notModified])).toEqual([
      ['succeeded', 0, 0],
      ['succeeded', 0, 0],
      ['succeeded', 0, 0],
    ])
    expect(fake.requestsTo(OVERALL_PATH)).toHaveLength(3)
    expect(fake.requestsTo(PROJECT_PATH).map((r) => r.headers['if-none-match'])).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    expect(await counts()).toEqual(before)
  })

  it('the next day adds the new day, updates a revised one and keeps days that left the window', async () => {
    servePypi(fake, { lastDay: '2026-11-24' })
    await pypi()
    fake.reset()
    servePypi(fake, { lastDay: '2026-11-25' })
    fake.on(overall('django'), () => {
      const body = overallBody('django', '2026-11-25', 'false')
      body.data.find((d) => d.date === '2026-11-20')!.downloads = 7
      return { body }
    })

    const results = await pypi({ now: NEXT_DAY })
    expect(results.map((r) => [r.framework, r.rowsWritten, r.notModified])).toEqual([
      ['django', 2, 1],
      ['fastapi', 1, 1],
      ['flask', 1, 1],
    ])
    // 179 of 180 days were already stored: upserted, not duplicated.
    expect(await counts('Django')).toEqual({ observations: 181, releases: 6 })
    expect(await downloads('Django', '2026-11-20')).toBe(7)
    expect(await downloads('Django', '2026-11-25')).toBe(pypiDownloadsOn('django', '2026-11-25'))
    // 2026-05-29 is no longer in pypistats' window; the stored day stays.
    expect(await downloads('Django', '2026-05-29')).toBe(pypiDownloadsOn('django', '2026-05-29'))
  })

  it('with pypistats unreachable, pypi.org still gives every release; the downloads row names the host', async () => {
    const port = await unusedPort()
    servePypi(fake, { lastDay: '2026-11-24' })
    const results = await pypi({ statsUrl: `http://127.0.0.1:${port}`, env: { HTTP_RETRIES: '0' } })
    expect(results.map((r) => r.signals!.map((s) => [s.signal, s.status]))).toEqual(
      Array(3).fill([['downloads', 'failed'], ['releases', 'succeeded']]),
    )
    expect(await counts()).toEqual({ observations: 0, releases: 13 })
    const [downloads, releases] = await runsFor('django')
    expect(downloads!.error).toBe(`pypi / django: request to http://127.0.0.1:${port}/api/packages/django/overall?mirrors=false failed: ECONNREFUSED`)
    expect(releases).toMatchObject({ signal: 'releases', status: 'succeeded', rows_written: 6 })
  })

  it('records a 404 for an unknown package, or one gone from PyPI, against that framework and signal only', async () => {
    servePypi(fake, { lastDay: '2026-11-24' })
    fake.on(/^\/pypi\/flask\/json$/, PYPI_404)
    const catalog = t.catalog.map((f) =>
      f.slug === 'fastapi' ? { ...f, packages: { pypi: ['no_such.package'] } } : f,
    )
    const results = await pypi({ catalog })

    expect(results.map((r) => r.status)).toEqual(['succeeded', 'failed', 'failed'])
    expect(results[1]!.error).toMatch(
      /^pypi \/ fastapi: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/api\/packages\/no-such-package\/overall\?mirrors=false$/,
    )
    expect(results[2]!.error).toMatch(
      /^pypi \/ flask: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/pypi\/flask\/json$/,
    )
    const [run] = await runsFor('fastapi')
    expect(run).toMatchObject({ signal: 'downloads', status: 'failed', error: results[1]!.error, rows_written: 0 })
    // Flask's releases failed; its downloads, from pypistats, are stored.
    const stored = await t.db.selectFrom('observations').select('subject').distinct().orderBy('subject').execute()
    expect(stored.map((r) => r.subject)).toEqual(['Django', 'Flask'])
    expect(await counts('Flask')).toEqual({ observations: 180, releases: 0 })
  })

  describe('a broken upstream leaves earlier data untouched', () => {
    // Stored up to 2026-11-24; on NEXT_DAY pypistats is asked again, and PyPI answers 304.
    async function withEarlierData() {
      servePypi(fake, { lastDay: '2026-11-24' })
      await pypi()
      fake.reset()
      servePypi(fake, { lastDay: '2026-11-25' })
      return counts('Django')
    }

    /**
     * The failing signal's row names the error and its data is as before; the other signal went
     * on: a pypi.org failure still adds the new day's downloads from pypistats.
     */
    async function expectDjangoIntact(
      before: { observations: number; releases: number },
      error: string,
      signal: 'downloads' | 'releases' = 'downloads',
    ) {
      const moved = signal === 'releases'
      expect(await counts('Django')).toEqual({ ...before, observations: before.observations + (moved ? 1 : 0) })
      expect(await downloads('Django', '2026-11-23')).toBe(pypiDownloadsOn('django', '2026-11-23'))
      expect(await downloads('Django', '2026-11-25')).toBe(moved ? pypiDownloadsOn('django', '2026-11-25') : undefined)
      expect((await runsFor('django')).filter((r) => r.signal === signal).at(-1)).toMatchObject({
        status: 'failed',
        error,
        rows_written: 0,
      })
    }

    it('malformed JSON', async () => {
      const before = await withEarlierData()
      fake.on(overall('django'), { headers: json, body: '{"data": [' })
      const [django, fastapi] = await pypi({ now: NEXT_DAY })
      expect(django!.error).toMatch(
        /^pypi \/ django: malformed JSON from http:\/\/127\.0\.0\.1:\d+\/api\/packages\/django\/overall\?mirrors=false: /,
      )
      expect(fastapi!.status).toBe('succeeded')
      await expectDjangoIntact(before, django!.error!)
    })

    it('valid JSON of the wrong shape names the URL and the failing field', async () => {
      const before = await withEarlierData()
      fake.on(overall('django'), () => {
        const body = overallBody('django', '2026-11-25', 'false') as {
          data: Array<{ downloads: unknown }>
        }
        body.data[5]!.downloads = 'many'
        return { body }
      })
      const [django] = await pypi({ now: NEXT_DAY })
      expect(django!.status).toBe('failed')
      expect(django!.error).toMatch(
        /^pypi \/ django: unexpected response from http:\/\/127\.0\.0\.1:\d+\/api\/packages\/django\/overall\?mirrors=false: data\[5\]\.downloads: /,
      )
      await expectDjangoIntact(before, django!.error!)
    })

    it('a release file of the wrong shape fails the releases only', async () => {
      await withEarlierData()
      const flaskBefore = await counts('Flask')
      const body = fixture('pypi/project-flask.json') as {
        releases: Record<string, Array<Record<string, unknown>>>
      }
      body.releases['3.1.0']![1]!.upload_time_iso_8601 = 'yesterday'
      fake.on(PROJECT_PATH, { body })
      const results = await pypi({ now: NEXT_DAY })
      expect(results[2]!.error).toMatch(
        /^pypi \/ flask: unexpected response from http:\/\/127\.0\.0\.1:\d+\/pypi\/flask\/json: releases\.3\.1\.0\[1\]\.upload_time_iso_8601: /,
      )
      expect((await runsFor('flask')).at(-1)).toMatchObject({ signal: 'releases', status: 'failed', rows_written: 0 })
      // Its downloads, from pypistats, still moved on to the new day.
      expect(await counts('Flask')).toEqual({ ...flaskBefore, observations: flaskBefore.observations + 1 })
      expect(await downloads('Flask', '2026-11-25')).toBe(pypiDownloadsOn('flask', '2026-11-25'))
    })

    it('a 500 is retried, then succeeds', async () => {
      await withEarlierData()
      fake.on(
        overall('django'),
        { status: 500, body: '500' },
        { status: 500, body: '500' },
        () => ({
          body: overallBody('django', '2026-11-25', 'false'),
        }),
      )
      const [django] = await pypi({ now: NEXT_DAY })
      expect(django).toMatchObject({ status: 'succeeded', rowsWritten: 1 })
      expect(fake.requestsTo(overall('django'))).toHaveLength(3)
    })

    it('pypistats’ 429 (HTML, no Retry-After): pypistats is asked nothing more, pypi.org still is', async () => {
      await withEarlierData()
      const stored = await counts()
      servePypi(stats, { lastDay: '2026-11-25' })
      stats.on(OVERALL_PATH, {
        status: 429,
        headers: { 'content-type': 'text/html' },
        body: '<a href="/api/#etiquette">429 RATE LIMIT EXCEEDED</a>',
      })
      const results = await pypi({ now: NEXT_DAY, statsUrl: stats.url })
      expect(results.map((r) => r.status)).toEqual(['failed', 'waiting', 'waiting'])
      expect(results.map((r) => r.signals![1]!.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
      expect(results[0]!.error).toMatch(
        /^pypi \/ django: rate limited until \d{4}-\d{2}-\d{2}T[\d:.]+Z \(http:\/\/127\.0\.0\.1:\d+\/api\/packages\/django\/overall\?mirrors=false\)$/,
      )
      // With no Retry-After the client waits a minute: far too long to wait inline.
      const until = Date.parse(results[0]!.error!.match(/until (\S+)/)![1]!)
      expect(until - Date.now()).toBeGreaterThan(50_000)
      expect(stats.requestsTo(/fastapi|flask/)).toHaveLength(0)
      expect(fake.requestsTo(/^\/pypi\/(fastapi|flask)\/json$/)).toHaveLength(2)
      const run = (await runsFor('flask')).at(-2)
      expect(run).toMatchObject({ signal: 'downloads', status: 'waiting', error: results[2]!.error, rows_written: 0 })
      expect(results[2]!.error).toMatch(/^pypi \/ flask: waiting for the rate limit until .* refused a request for django: /)
      expect(await counts()).toEqual(stored)
    })

    it('a 429 with a short Retry-After is waited out', async () => {
      await withEarlierData()
      fake.on(
        overall('django'),
        { status: 429, headers: { 'retry-after': '1' }, body: '429' },
        () => ({
          body: overallBody('django', '2026-11-25', 'false'),
        }),
      )
      const [django] = await pypi({ now: NEXT_DAY })
      expect(django).toMatchObject({ status: 'succeeded', rowsWritten: 1 })
      expect(fake.requestsTo(overall('django'))).toHaveLength(2)
    })

    it('a hung request times out', async () => {
      const before = await withEarlierData()
      fake.on(/^\/pypi\/django\/json$/, { hang: true })
      const [django] = await pypi({
        now: NEXT_DAY,
        env: { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' },
      })
      expect(django!.error).toMatch(
        /^pypi \/ django: request to http:\/\/127\.0\.0\.1:\d+\/pypi\/django\/json failed: timed out$/,
      )
      await expectDjangoIntact(before, django!.error!, 'releases')
    })
  })
})
