import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { runSource } from '../../src/jobs/run-source.js'
import { hexSource } from '../../src/jobs/sources/hex.js'
import { ISO_INSTANT, sourceChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { PACKAGE_PATH, PHOENIX_DOWNLOADS, RELEASE_PATH, serveHex } from '../helpers/hex-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000)
const { all: ALL, day: DAY, week: WEEK, recent: RECENT } = PHOENIX_DOWNLOADS
const t = useTestDatabase()
const fake = useFakeUpstream()

function hex(now = NOW, env: Record<string, string> = {}, catalog: CatalogEntry[] = t.catalog) {
  const config = testConfig(fake.url, env)
  return runSource(testRunContext(t.db, catalog, config, now), hexSource({ baseUrl: fake.url }))
}

const { observations, releases, stored, lastRun, expectFailure } = sourceChecks(t, {
  source: 'hex',
  slug: 'phoenix',
})

const packageUrl = () => `${fake.url}/api/packages/phoenix`
const phoenixBody = () => fixture('hex/package-phoenix.json') as Record<string, unknown>

describe('Hex sync against the fake upstream', () => {
  it('stores "all" as today’s total, "day" on yesterday, and each release', async () => {
    serveHex(fake)
    const results = await hex()
    expect(results).toMatchObject([
      { source: 'hex', framework: 'phoenix', status: 'succeeded', rowsWritten: 10, notModified: 0 },
    ])
    // The package document (read by each signal), then each release's daily series for the
    // downloads history (none served here: no rows from them).
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/api/packages/phoenix',
      '/api/packages/phoenix',
      ...['1.8.1', '1.8.0', '1.8.0-rc.4', '1.8.0-rc.0', '1.7.21', '1.7.14'].map((v) => `/api/packages/phoenix/releases/${v}?downloads=day`),
    ])
    // hex.pm answers 400 to a request without a User-Agent (hex.md).
    expect(fake.requests[0]!.headers['user-agent']).toMatch(/^FrameworkPulse\//)
    expect(await observations()).toEqual([
      { subject: 'phoenix', metric: 'downloads', day: '2026-11-24', value: DAY },
      { subject: 'phoenix', metric: 'downloads_last_7d', day: '2026-11-25', value: WEEK },
      { subject: 'phoenix', metric: 'downloads_last_90d', day: '2026-11-25', value: RECENT },
      { subject: 'phoenix', metric: 'downloads_total', day: '2026-11-25', value: ALL },
    ])
    const rows = await releases()
    expect(rows.map((r) => [r.version, r.prerelease, r.published_at.toISOString()])).toEqual([
      ['1.7.14', false, '2024-06-18T13:59:33.720Z'],
      ['1.7.21', false, '2025-03-21T13:11:05.602Z'],
      ['1.8.0-rc.0', true, '2025-04-01T16:47:20.347Z'],
      ['1.8.0-rc.4', true, '2025-07-14T14:02:47.091Z'],
      ['1.8.0', false, '2025-08-05T15:26:02.884Z'],
      ['1.8.1', false, '2025-08-28T18:40:11.513Z'],
    ])
    expect(rows.at(-1)!.url).toBe('https://hex.pm/packages/phoenix/1.8.1')
    // The newest row is the downloads signal's: its four figures (the releases have their own).
    expect(await lastRun()).toMatchObject({ status: 'succeeded', rows_written: 4, error: null })
  })

  it('the next day adds exactly one daily value, although the ETag is unchanged', async () => {
    serveHex(fake)
    await hex()
    fake.reset()
    serveHex(fake, { downloads: { all: ALL + 41_000, day: 41_000 } })
    const [next] = await hex(days(1))
    expect(next).toMatchObject({ status: 'succeeded', rowsWritten: 4, notModified: 0 })
    // The history is complete up to the day before: nothing to ask the releases for.
    expect(fake.requestsTo(RELEASE_PATH)).toEqual([])
    // Hex's ETag hashes the package row, not its downloads: a conditional request would get a 304
    // from the fake (as from hexpm) and lose the new figures.
    expect(fake.requests[0]!.headers['if-none-match']).toBeUndefined()
    expect(await observations()).toEqual([
      { subject: 'phoenix', metric: 'downloads', day: '2026-11-24', value: DAY },
      { subject: 'phoenix', metric: 'downloads', day: '2026-11-25', value: 41_000 },
      { subject: 'phoenix', metric: 'downloads_last_7d', day: '2026-11-25', value: WEEK },
      { subject: 'phoenix', metric: 'downloads_last_7d', day: '2026-11-26', value: WEEK },
      { subject: 'phoenix', metric: 'downloads_last_90d', day: '2026-11-25', value: RECENT },
      { subject: 'phoenix', metric: 'downloads_last_90d', day: '2026-11-26', value: RECENT },
      { subject: 'phoenix', metric: 'downloads_total', day: '2026-11-25', value: ALL },
      { subject: 'phoenix', metric: 'downloads_total', day: '2026-11-26', value: ALL + 41_000 },
    ])
  })

  it('a second sync the same day writes nothing new', async () => {
    serveHex(fake)
    await hex()
    const before = await stored()
    fake.reset()
    serveHex(fake)
    const [again] = await hex(new Date(NOW.getTime() + 3_600_000))
    expect(again).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 0 })
    expect(await lastRun()).toMatchObject({ status: 'succeeded', rows_written: 0 })
    expect(await stored()).toEqual(before)
  })

  describe('a broken upstream fails the run and leaves earlier data untouched', () => {
    async function withEarlierData() {
      serveHex(fake)
      await hex()
      fake.reset()
      serveHex(fake, { downloads: { all: ALL + 41_000, day: 41_000 } })
      return stored()
    }

    it('a 404 for an unknown package', async () => {
      const before = await withEarlierData()
      const renamed = t.catalog.map((f) => (f.slug === 'phoenix' ? { ...f, packages: { hex: ['phoenixx'] } } : f))
      const [result] = await hex(days(1), {}, renamed)
      const error = `hex / phoenix: HTTP 404 Not Found from ${fake.url}/api/packages/phoenixx`
      expect(result).toMatchObject({ status: 'failed', error })
      await expectFailure(error, before)
    })

    it('Hex’s own 429 (no Retry-After): waits for x-ratelimit-reset, recorded for the next run', async () => {
      const before = await withEarlierData()
      const reset = Math.floor(Date.now() / 1000) + 3600
      fake.on(PACKAGE_PATH, {
        status: 429,
        headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: { status: 429, message: 'API rate limit exceeded for IP 127.0.0.1' },
      })
      await hex(days(1))
      const until = new Date(reset * 1000).toISOString().replace('.', '\\.')
      await expectFailure(new RegExp(`^hex / phoenix: rate limited until ${until} \\(${packageUrl()}\\)$`), before)
      const state = await t.db
        .selectFrom('source_state')
        .select('value')
        .where('source', '=', 'hex')
        .where('key', '=', 'rate_limit')
        .executeTakeFirstOrThrow()
      expect(state.value).toMatchObject({ limit: 100, remaining: 0 })
    })

    it('a 429 with a long Retry-After stops the run with "rate limited until"', async () => {
      const before = await withEarlierData()
      const body = { status: 429, message: 'API rate limit exceeded for IP 127.0.0.1' }
      fake.on(PACKAGE_PATH, { status: 429, headers: { 'retry-after': '7200' }, body })
      await hex(days(1))
      await expectFailure(new RegExp(`^hex / phoenix: rate limited until ${ISO_INSTANT} \\(${packageUrl()}\\)$`), before)
    })

    it('a 500 is retried, then succeeds', async () => {
      await withEarlierData()
      fake.on(PACKAGE_PATH, { status: 500, body: { status: 500, message: 'internal server error' } }, {
        body: { ...phoenixBody(), downloads: { ...PHOENIX_DOWNLOADS, all: ALL + 41_000, day: 41_000 } },
      })
      const [result] = await hex(days(1))
      expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 4 })
      // The releases signal's 500 and its retry, then the downloads signal's own read.
      expect(fake.requestsTo(PACKAGE_PATH)).toHaveLength(3)
    })

    it('a hung request times out', async () => {
      const before = await withEarlierData()
      fake.on(PACKAGE_PATH, { hang: true })
      await hex(days(1), { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' })
      await expectFailure(`hex / phoenix: request to ${packageUrl()} failed: timed out`, before)
    })

    it('a malformed body', async () => {
      const before = await withEarlierData()
      fake.on(PACKAGE_PATH, { headers: { 'content-type': 'application/json' }, body: '{"name": "phoenix", "downloads": {' })
      await hex(days(1))
      await expectFailure(new RegExp(`^hex / phoenix: malformed JSON from ${packageUrl()}: `), before)
    })

    it('valid JSON of the wrong shape names the URL and the failing field', async () => {
      const before = await withEarlierData()
      fake.on(PACKAGE_PATH, { body: { ...phoenixBody(), downloads: { ...PHOENIX_DOWNLOADS, all: '131M' } } })
      await hex(days(1))
      await expectFailure(new RegExp(`^hex / phoenix: unexpected response from ${packageUrl()}: downloads\\.all: `), before)
    })

    it('another package’s body under the name asked for', async () => {
      const before = await withEarlierData()
      fake.on(PACKAGE_PATH, { body: { ...phoenixBody(), name: 'phoenix_live_view' } })
      await hex(days(1))
      await expectFailure(`hex / phoenix: ${packageUrl()}: name: expected "phoenix", got "phoenix_live_view"`, before)
    })
  })
})
