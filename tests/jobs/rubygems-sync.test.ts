import { describe, expect, it } from 'vitest'
import { runSource } from '../../src/jobs/run-source.js'
import { rubygemsSource } from '../../src/jobs/sources/rubygems.js'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { ISO_INSTANT, literally, sourceChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import { GEM_PATH, RAILS_TOTAL, serveRubyGems, VERSIONS_ETAG, VERSIONS_PATH } from '../helpers/rubygems-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000)
const t = useTestDatabase()
const fake = useFakeUpstream()

function rubygems(now = NOW, env: Record<string, string> = {}, catalog: CatalogEntry[] = t.catalog) {
  const config = testConfig(fake.url, env)
  return runSource(testRunContext(t.db, catalog, config, now), rubygemsSource({ baseUrl: fake.url }))
}

const { observations, releases, stored, lastRun, expectFailure } = sourceChecks(t, {
  source: 'rubygems',
  slug: 'rails',
})

describe('RubyGems sync against the fake upstream', () => {
  it('stores the total as today’s snapshot and each version as a release', async () => {
    serveRubyGems(fake)
    const results = await rubygems()
    expect(results).toEqual([
      {
        source: 'rubygems',
        framework: 'rails',
        status: 'succeeded',
        rowsWritten: 5,
        notModified: 0,
        signals: [
          { signal: 'downloads', status: 'succeeded', rowsWritten: 1, notModified: 0 },
          { signal: 'releases', status: 'succeeded', rowsWritten: 4, notModified: 0 },
        ],
      },
    ])
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/gems/rails.json', '/api/v1/versions/rails.json'])
    // The first snapshot has nothing to be compared with: no daily value yet.
    expect(await observations()).toEqual([
      { subject: 'rails', metric: 'downloads_total', day: '2026-11-25', value: RAILS_TOTAL },
    ])
    const rows = await releases()
    expect(rows.map((r) => [r.version, r.prerelease, r.published_at.toISOString()])).toEqual([
      ['7.0.5', false, '2023-05-24T19:21:28.228Z'],
      ['7.0.5.1', false, '2023-06-26T21:35:33.012Z'],
      ['7.0.6', false, '2023-06-29T20:57:24.359Z'],
      ['7.1.0.beta1', true, '2023-09-13T19:54:52.177Z'],
    ])
    expect(rows[2]!.url).toBe('https://rubygems.org/gems/rails/versions/7.0.6')
    expect(await lastRun('downloads')).toMatchObject({ status: 'succeeded', rows_written: 1, error: null })
    expect(await lastRun('releases')).toMatchObject({ status: 'succeeded', rows_written: 4, error: null })
  })

  it('the next day derives exactly one daily value, and a later run that day adds nothing', async () => {
    serveRubyGems(fake)
    await rubygems()
    fake.reset()
    serveRubyGems(fake, RAILS_TOTAL + 61_234)
    const [next] = await rubygems(days(1))
    expect(next).toMatchObject({ status: 'succeeded', rowsWritten: 2, notModified: 1 })
    expect(await observations()).toEqual([
      { subject: 'rails', metric: 'downloads', day: '2026-11-25', value: 61_234 },
      { subject: 'rails', metric: 'downloads_total', day: '2026-11-25', value: RAILS_TOTAL },
      { subject: 'rails', metric: 'downloads_total', day: '2026-11-26', value: RAILS_TOTAL + 61_234 },
    ])

    // Hours later the counter has moved on, but the day's first snapshot stands.
    fake.reset()
    serveRubyGems(fake, RAILS_TOTAL + 70_000)
    const [later] = await rubygems(new Date(days(1).getTime() + 6 * 3_600_000))
    expect(later).toMatchObject({ status: 'succeeded', rowsWritten: 0 })
    expect(await observations()).toHaveLength(3)
  })

  it('never spreads a gap: after three days away only the total is stored', async () => {
    serveRubyGems(fake)
    await rubygems()
    fake.reset()
    serveRubyGems(fake, RAILS_TOTAL + 300_000)
    await rubygems(days(3))
    expect((await observations()).map((o) => [o.metric, o.day])).toEqual([
      ['downloads_total', '2026-11-25'],
      ['downloads_total', '2026-11-28'],
    ])
    // The next consecutive day resumes the daily series.
    fake.reset()
    serveRubyGems(fake, RAILS_TOTAL + 390_000)
    await rubygems(days(4))
    const daily = (await observations()).filter((o) => o.metric === 'downloads')
    expect(daily).toEqual([{ subject: 'rails', metric: 'downloads', day: '2026-11-28', value: 90_000 }])
  })

  it('a second sync the same day writes nothing: the versions list answers 304 to its ETag', async () => {
    serveRubyGems(fake)
    await rubygems()
    const before = await stored()
    fake.reset()
    serveRubyGems(fake)

    const [again] = await rubygems(new Date(NOW.getTime() + 3_600_000))
    expect(again).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requestsTo(VERSIONS_PATH)[0]!.headers['if-none-match']).toBe(VERSIONS_ETAG)
    expect(fake.requestsTo(VERSIONS_PATH)[0]!.headers['if-modified-since']).toBe('Wed, 13 Sep 2023 19:54:52 GMT')
    // The counter is never asked conditionally: a 304 would leave the day without a snapshot.
    expect(fake.requestsTo(GEM_PATH)[0]!.headers['if-none-match']).toBeUndefined()
    expect(await lastRun('releases')).toMatchObject({ status: 'succeeded', rows_written: 0, not_modified: 1 })
    expect(await stored()).toEqual(before)
  })

  describe('a broken endpoint fails its signal and leaves its earlier data untouched', () => {
    async function withEarlierData() {
      serveRubyGems(fake)
      await rubygems()
      fake.reset()
      serveRubyGems(fake, RAILS_TOTAL + 5_000)
      return stored()
    }

    it('a 404 for an unknown gem (plain-text body)', async () => {
      const before = await withEarlierData()
      const renamed = t.catalog.map((f) => (f.slug === 'rails' ? { ...f, packages: { rubygems: ['railz'] } } : f))
      const [result] = await rubygems(days(1), {}, renamed)
      const error = `rubygems / rails: HTTP 404 Not Found from ${fake.url}/api/v1/gems/railz.json`
      expect(result).toMatchObject({ status: 'failed', error })
      await expectFailure(error, before, 'downloads')
    })

    it('a 429 with a long Retry-After stops the run with "rate limited until"', async () => {
      const before = await withEarlierData()
      fake.on(VERSIONS_PATH, { status: 429, headers: { 'retry-after': '3600' }, body: 'Rate limit exceeded' })
      const [result] = await rubygems(days(1))
      const url = `${fake.url}/api/v1/versions/rails.json`
      const error = new RegExp(`^rubygems / rails: rate limited until ${ISO_INSTANT} \\(${literally(url)}\\)$`)
      expect(result!.error).toMatch(error)
      await expectFailure(error, before, 'releases')
      // The total, fetched just before from another endpoint, is stored: each signal its own transaction.
      expect((await observations()).find((o) => o.day === '2026-11-26')).toMatchObject({ metric: 'downloads_total', value: RAILS_TOTAL + 5_000 })
    })

    it('a 429 with a short Retry-After is waited out, then succeeds', async () => {
      await withEarlierData()
      fake.on(GEM_PATH, { status: 429, headers: { 'retry-after': '1' } }, {
        body: { ...(fixture('rubygems/gem-rails.json') as object), downloads: RAILS_TOTAL + 5_000 },
      })
      const [result] = await rubygems(days(1))
      expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 2 })
      expect(fake.requestsTo(GEM_PATH)).toHaveLength(2)
    })

    it('a 500 is retried, then succeeds', async () => {
      await withEarlierData()
      fake.on(GEM_PATH, { status: 500, body: 'oops' }, {
        body: { ...(fixture('rubygems/gem-rails.json') as object), downloads: RAILS_TOTAL + 5_000 },
      })
      const [result] = await rubygems(days(1))
      expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 2 })
      expect(fake.requestsTo(GEM_PATH)).toHaveLength(2)
      const daily = (await observations()).find((o) => o.metric === 'downloads')
      expect(daily).toEqual({ subject: 'rails', metric: 'downloads', day: '2026-11-25', value: 5_000 })
    })

    it('a hung request times out', async () => {
      const before = await withEarlierData()
      fake.on(GEM_PATH, { hang: true })
      await rubygems(days(1), { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' })
      await expectFailure(`rubygems / rails: request to ${fake.url}/api/v1/gems/rails.json failed: timed out`, before, 'downloads')
    })

    it('a malformed body', async () => {
      const before = await withEarlierData()
      fake.on(VERSIONS_PATH, { headers: { 'content-type': 'application/json' }, body: '[{"number": "7.0.6",' })
      await rubygems(days(1))
      await expectFailure(
        new RegExp(`^rubygems / rails: malformed JSON from ${fake.url}/api/v1/versions/rails\\.json: `),
        before,
        'releases',
      )
    })

    it('valid JSON of the wrong shape names the URL and the failing field', async () => {
      const before = await withEarlierData()
      const versions = fixture('rubygems/versions-rails.json') as object[]
      fake.on(VERSIONS_PATH, { body: versions.map((v, i) => (i === 2 ? { ...v, created_at: 'last June' } : v)) })
      await rubygems(days(1))
      await expectFailure(
        new RegExp(
          `^rubygems / rails: unexpected response from ${literally(fake.url)}/api/v1/versions/rails\\.json: ` +
            '\\[2\\]\\.created_at: ',
        ),
        before,
        'releases',
      )
    })

    it('another gem’s body under the name asked for', async () => {
      const before = await withEarlierData()
      fake.on(GEM_PATH, { body: { ...(fixture('rubygems/gem-rails.json') as object), name: 'rails-html-sanitizer' } })
      await rubygems(days(1))
      await expectFailure(
        `rubygems / rails: ${fake.url}/api/v1/gems/rails.json: name: expected "rails", got "rails-html-sanitizer"`,
        before,
        'downloads',
      )
    })
  })
})
