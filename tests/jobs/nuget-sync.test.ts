import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { runSource } from '../../src/jobs/run-source.js'
import { nugetSource } from '../../src/jobs/sources/nuget.js'
import { ISO_INSTANT, literally, sourceChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import {
  INDEX_PATH,
  onFake,
  OPENAPI_TOTAL,
  PAGE_PATH,
  REGISTRATION_PATH,
  SEARCH_PATH,
  serveNuGet,
} from '../helpers/nuget-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000)
const ID = 'Microsoft.AspNetCore.OpenApi'
const t = useTestDatabase()
const fake = useFakeUpstream()

function nuget(now = NOW, env: Record<string, string> = {}, catalog: CatalogEntry[] = t.catalog) {
  const config = testConfig(fake.url, env)
  const source = nugetSource({ serviceIndexUrl: `${fake.url}/v3/index.json` })
  return runSource(testRunContext(t.db, catalog, config, now), source)
}

const registrationUrl = () => `${fake.url}/v3/registration5-gz-semver2/microsoft.aspnetcore.openapi/index.json`
const searchUrl = () => `${fake.url}/query?q=packageid%3A${ID}&prerelease=true&semVerLevel=2.0.0`
const OPENAPI_INDEX = /^\/v3\/registration5-gz-semver2\/microsoft\.aspnetcore\.openapi\/index\.json$/

const { observations, releases, stored, lastRun, expectFailure } = sourceChecks(t, {
  source: 'nuget',
  slug: 'aspnet-core',
})

const LISTED = [
  ['7.0.0-rc.2.22476.2', true, '2022-10-11T17:13:43.140Z'],
  ['7.0.0', false, '2022-11-08T18:19:21.330Z'],
  ['8.0.0', false, '2023-11-14T16:00:56.427Z'],
  ['9.0.0-rc.2.24474.3', true, '2024-10-08T16:43:05.857Z'],
  ['9.0.0', false, '2024-11-12T18:37:45.407Z'],
  ['10.0.0-rc.2.25502.107', true, '2025-10-14T17:31:10.623Z'],
  ['10.0.0', false, '2025-11-11T17:03:27.203Z'],
  ['10.0.1', false, '2025-12-09T18:05:31.450Z'],
]

describe('NuGet sync against the fake upstream', () => {
  it('discovers its URLs, stores the total as today’s snapshot and each listed version', async () => {
    serveNuGet(fake)
    const results = await nuget()
    expect(results).toEqual([
      {
        source: 'nuget',
        framework: 'aspnet-core',
        status: 'succeeded',
        rowsWritten: 9,
        notModified: 0,
        signals: [
          { signal: 'releases', status: 'succeeded', rowsWritten: 8, notModified: 0 },
          { signal: 'downloads', status: 'succeeded', rowsWritten: 1, notModified: 0 },
        ],
      },
    ])
    // Each signal reads the service index itself: search (downloads) failing costs no releases.
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/v3/index.json',
      '/v3/registration5-gz-semver2/microsoft.aspnetcore.openapi/index.json',
      '/v3/index.json',
      `/query?q=packageid%3A${ID}&prerelease=true&semVerLevel=2.0.0`,
    ])
    expect(await observations()).toEqual([
      { subject: ID, metric: 'downloads_total', day: '2026-11-25', value: OPENAPI_TOTAL },
    ])
    const rows = await releases()
    // 9.0.0-preview.1.24081.5 is unlisted (listed: false, published 1900): not a release.
    expect(rows.map((r) => [r.version, r.prerelease, r.published_at.toISOString()])).toEqual(LISTED)
    expect(rows.at(-1)!.url).toBe(`https://www.nuget.org/packages/${ID}/10.0.1`)
    expect(await lastRun('releases')).toMatchObject({ status: 'succeeded', rows_written: 8, error: null })
    expect(await lastRun('downloads')).toMatchObject({ status: 'succeeded', rows_written: 1, error: null })
  })

  it('follows an index that links its pages instead of inlining them', async () => {
    serveNuGet(fake, { registration: 'paged' })
    const [result] = await nuget()
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 9 })
    expect(fake.requestsTo(PAGE_PATH).map((r) => r.path)).toEqual([
      '/v3/registration5-gz-semver2/microsoft.aspnetcore.openapi/page/7.0.0-rc.2.22476.2/9.0.0.json',
      '/v3/registration5-gz-semver2/microsoft.aspnetcore.openapi/page/10.0.0-rc.2.25502.107/10.0.1.json',
    ])
    // The same releases as from the inlined index: nothing is lost across pages.
    const rows = await releases()
    expect(rows.map((r) => [r.version, r.prerelease, r.published_at.toISOString()])).toEqual(LISTED)

    // Unchanged index: 304, and its pages are not asked for at all.
    fake.reset()
    serveNuGet(fake, { registration: 'paged' })
    const [again] = await nuget(new Date(NOW.getTime() + 3_600_000))
    expect(again).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requestsTo(PAGE_PATH)).toEqual([])
  })

  it('a changed index with unchanged pages: each page answers 304 to its own ETag', async () => {
    serveNuGet(fake, { registration: 'paged' })
    await nuget()
    const before = await stored()
    fake.reset()
    serveNuGet(fake, { registration: 'paged' })
    fake.on(REGISTRATION_PATH, {
      headers: { etag: '"index-v2"' },
      body: onFake(fixture('nuget/registration-openapi-paged.json'), fake.url),
    })
    const [result] = await nuget(new Date(NOW.getTime() + 3_600_000))
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 2 })
    expect(fake.requestsTo(PAGE_PATH).map((r) => r.headers['if-none-match'])).toEqual([
      '"nuget-registration-openapi-page-1-json"',
      '"nuget-registration-openapi-page-2-json"',
    ])
    expect(await stored()).toEqual(before)
  })

  it('the next day derives exactly one daily value and writes no duplicate', async () => {
    serveNuGet(fake)
    await nuget()
    fake.reset()
    serveNuGet(fake, { total: OPENAPI_TOTAL + 52_000 })
    const [next] = await nuget(days(1))
    expect(next).toMatchObject({ status: 'succeeded', rowsWritten: 2, notModified: 1 })
    expect(await observations()).toEqual([
      { subject: ID, metric: 'downloads', day: '2026-11-25', value: 52_000 },
      { subject: ID, metric: 'downloads_total', day: '2026-11-25', value: OPENAPI_TOTAL },
      { subject: ID, metric: 'downloads_total', day: '2026-11-26', value: OPENAPI_TOTAL + 52_000 },
    ])
    expect(await releases()).toHaveLength(8)
  })

  it('a second sync the same day writes nothing: the registration index answers 304', async () => {
    serveNuGet(fake)
    await nuget()
    const before = await stored()
    fake.reset()
    serveNuGet(fake, { total: OPENAPI_TOTAL + 9_000 })
    const [again] = await nuget(new Date(NOW.getTime() + 3_600_000))
    expect(again).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requestsTo(REGISTRATION_PATH)[0]!.headers['if-none-match']).toBe('"nuget-registration-openapi-json"')
    // The service index is needed every time and search counts move all day: never conditional.
    expect(fake.requestsTo(INDEX_PATH)[0]!.headers['if-none-match']).toBeUndefined()
    expect(fake.requestsTo(SEARCH_PATH)[0]!.headers['if-none-match']).toBeUndefined()
    expect(await lastRun('releases')).toMatchObject({ status: 'succeeded', rows_written: 0, not_modified: 1 })
    expect(await stored()).toEqual(before)
  })

  describe('a broken endpoint fails its signal and leaves its earlier data untouched', () => {
    async function withEarlierData() {
      serveNuGet(fake, { registration: 'paged' })
      await nuget()
      fake.reset()
      serveNuGet(fake, { registration: 'paged', total: OPENAPI_TOTAL + 52_000 })
      // A changed index, so the pages are fetched again.
      fake.on(OPENAPI_INDEX, {
        headers: { etag: '"index-v2"' },
        body: onFake(fixture('nuget/registration-openapi-paged.json'), fake.url),
      })
      return stored()
    }

    it('a 404 for an unknown package (blob storage’s XML body)', async () => {
      const before = await withEarlierData()
      const missing = { nuget: ['Contoso.Missing'] }
      const renamed = t.catalog.map((f) => (f.slug === 'aspnet-core' ? { ...f, packages: missing } : f))
      const [result] = await nuget(days(1), {}, renamed)
      const url = `${fake.url}/v3/registration5-gz-semver2/contoso.missing/index.json`
      const error = `nuget / aspnet-core: HTTP 404 Not Found from ${url}`
      expect(result).toMatchObject({ status: 'failed', error })
      await expectFailure(error, before, 'releases')
    })

    it('a 429 with a long Retry-After stops the run with "rate limited until"', async () => {
      const before = await withEarlierData()
      const body = { statusCode: 429, message: 'Rate limit is exceeded. Try again in 3600 seconds.' }
      fake.on(SEARCH_PATH, { status: 429, headers: { 'retry-after': '3600' }, body })
      await nuget(days(1))
      await expectFailure(
        new RegExp(`^nuget / aspnet-core: rate limited until ${ISO_INSTANT} \\(${literally(searchUrl())}\\)$`),
        before,
        'downloads',
      )
    })

    it('NuGet’s documented 429 (wait only in the message) stops the run too', async () => {
      const before = await withEarlierData()
      const body = { statusCode: 429, message: 'Rate limit is exceeded. Try again in 56 seconds.' }
      fake.on(SEARCH_PATH, { status: 429, body })
      await nuget(days(1))
      await expectFailure(new RegExp(`^nuget / aspnet-core: rate limited until .+ \\(${literally(searchUrl())}\\)$`), before, 'downloads')
    })

    it('a 500 on a linked page is retried, then succeeds', async () => {
      await withEarlierData()
      fake.on(/\/page\/10\.0\.0-rc\.2\.25502\.107\/10\.0\.1\.json$/, { status: 503, body: 'busy' }, {
        body: onFake(fixture('nuget/registration-openapi-page-2.json'), fake.url),
      })
      const [result] = await nuget(days(1))
      expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 2 })
      expect(fake.requestsTo(/page\/10\.0\.0/)).toHaveLength(2)
    })

    it('a hung request times out', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, { hang: true })
      await nuget(days(1), { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' })
      await expectFailure(`nuget / aspnet-core: request to ${searchUrl()} failed: timed out`, before, 'downloads')
    })

    it('a malformed body', async () => {
      const before = await withEarlierData()
      fake.on(REGISTRATION_PATH, { headers: { 'content-type': 'application/json' }, body: '{"count": 2, "items": [' })
      await nuget(days(1))
      await expectFailure(new RegExp(`^nuget / aspnet-core: malformed JSON from ${literally(registrationUrl())}: `), before, 'releases')
    })

    it('valid JSON of the wrong shape names the URL and the failing field', async () => {
      const before = await withEarlierData()
      const body = fixture('nuget/search-openapi.json') as { data: object[] }
      fake.on(SEARCH_PATH, { body: { ...body, data: [{ ...body.data[0], totalDownloads: '204M' }] } })
      await nuget(days(1))
      await expectFailure(
        new RegExp(`^nuget / aspnet-core: unexpected response from ${literally(searchUrl())}: data\\[0\\]\\.totalDownloads: `),
        before,
        'downloads',
      )
    })

    it('a fetched page without its items', async () => {
      const before = await withEarlierData()
      const page = onFake(fixture('nuget/registration-openapi-page-2.json'), fake.url) as Record<string, unknown>
      fake.on(/\/page\/10\.0\.0-rc\.2\.25502\.107\/10\.0\.1\.json$/, { body: { ...page, items: undefined } })
      await nuget(days(1))
      await expectFailure(
        new RegExp(
          `^nuget / aspnet-core: unexpected response from ${literally(fake.url)}/v3/` +
            '.+/page/10\\.0\\.0-rc\\.2\\.25502\\.107/10\\.0\\.1\\.json: items: ',
        ),
        before,
        'releases',
      )
    })

    it('search without the package', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, { body: fixture('nuget/search-docs.json') })
      await nuget(days(1))
      await expectFailure(`nuget / aspnet-core: ${searchUrl()}: data: no package with id "${ID}"`, before, 'downloads')
    })

    it('a service index without a SemVer 2 registration hive', async () => {
      const before = await withEarlierData()
      const index = onFake(fixture('nuget/service-index.json'), fake.url) as { resources: Array<{ '@type': string }> }
      const semver1 = index.resources.filter((r) => !/^RegistrationsBaseUrl\/(3\.6\.0|Versioned)$/.test(r['@type']))
      fake.on(INDEX_PATH, { body: { ...index, resources: semver1 } })
      await nuget(days(1))
      await expectFailure(
        `nuget / aspnet-core: ${fake.url}/v3/index.json: resources: ` +
          'no RegistrationsBaseUrl/3.6.0 or RegistrationsBaseUrl/Versioned',
        before,
        'releases',
      )
      expect(fake.requestsTo(REGISTRATION_PATH)).toEqual([])
    })
  })
})
