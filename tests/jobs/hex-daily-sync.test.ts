import { setTimeout as sleep } from 'node:timers/promises'
import { decodeHTML } from 'entities'
import { describe, expect, it } from 'vitest'
import { runSource } from '../../src/jobs/run-source.js'
import { SERIES_REQUESTS_PER_RUN } from '../../src/jobs/sources/hex-daily.js'
import { hexSource } from '../../src/jobs/sources/hex.js'
import { testApp } from '../helpers/app-server.js'
import { sourceChecks } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { RELEASE_PATH, rateLimitHeaders, serveHex, type HexSeries } from '../helpers/hex-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000)
const t = useTestDatabase()
const fake = useFakeUpstream()

function hex(now = NOW) {
  return runSource(testRunContext(t.db, t.catalog, testConfig(fake.url), now), hexSource({ baseUrl: fake.url }))
}

const { observations, stored, expectFailure } = sourceChecks(t, { source: 'hex', slug: 'phoenix' })
const daily = async () => (await observations()).filter((o) => o.metric === 'downloads').map((o) => [o.day, o.value])
const text = (html: string) => decodeHTML(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

// Figures unlike the fixture's, so nothing here can come from package-phoenix.json.
const DOWNLOADS = { all: 9_876_543, day: 6_950, week: 48_213, recent: 612_907 }
// Sparse, as hexpm keeps them (days with downloads only); 2026-11-24 is the package's `day`.
const SERIES: HexSeries = {
  '1.8.1': [['2026-11-20', 5_100], ['2026-11-21', 5_200], ['2026-11-22', 4_900], ['2026-11-23', 5_300], ['2026-11-24', 99_999]],
  '1.8.0': [['2026-11-21', 300], ['2026-11-23', 250]],
  '1.7.14': [['2025-01-02', 40], ['2026-11-22', 2]],
  '1.8.0-rc.0': [],
}
const FILLED = [
  ['2025-01-02', 40],
  ['2026-11-20', 5_100],
  ['2026-11-21', 5_500],
  ['2026-11-22', 4_902],
  ['2026-11-23', 5_550],
]
const releasesAsked = () => fake.requestsTo(RELEASE_PATH).map((r) => r.path.replace('/api/packages/phoenix/releases/', ''))

describe('Hex: the week it states and the daily history its releases publish', () => {
  it('after one sync the card shows Hex’s 7-day count with its source and fetch time, and the chart the summed days', async () => {
    serveHex(fake, { downloads: DOWNLOADS, series: SERIES })
    const [result] = await hex()
    expect(result).toMatchObject({ status: 'succeeded' })
    // Every release's whole series, unconditionally; one request each.
    expect(releasesAsked()).toEqual(['1.8.1', '1.8.0', '1.8.0-rc.4', '1.8.0-rc.0', '1.7.21', '1.7.14'].map((v) => `${v}?downloads=day`))
    expect(fake.requestsTo(RELEASE_PATH).every((r) => r.headers['if-none-match'] === undefined)).toBe(true)
    // Summed per day up to the day before yesterday; yesterday is the package's own `day`, not
    // the releases' 99,999 (the two never write the same day).
    expect(await daily()).toEqual([...FILLED, ['2026-11-24', 6_950]])
    const stated = (await observations()).filter((o) => o.metric.startsWith('downloads_last'))
    expect(stated).toEqual([
      { subject: 'phoenix', metric: 'downloads_last_7d', day: '2026-11-25', value: 48_213 },
      { subject: 'phoenix', metric: 'downloads_last_90d', day: '2026-11-25', value: 612_907 },
    ])

    const app = testApp(t, { collected: new Set(['hex']) })
    for (const path of ['/', '/frameworks/phoenix']) {
      const page = text(await (await app.request(path)).text())
      expect(page).toContain('Downloads, last 7 days as Hex states them · phoenix (Hex) 48.2K')
      expect(page).toContain("Hex's own count of the 7 days before 2026-11-25 Source: Hex API · fetched 2026-11-25 12:00 UTC")
      expect(page).toContain('Downloads of phoenix in the last 90 days as Hex states them: 612,907 on 2026-11-25')
      // The sum of stored days (5,100 + … + 6,950) is not what the card calls the week.
      expect(page).not.toContain('the only')
      expect(page).not.toContain('Downloads, last 7 days · phoenix')
    }
    const res = await app.request('/api/frameworks/phoenix/series?metric=downloads&range=all')
    const json = await res.json()
    expect(json.series.map((s: { source: string; subject: string }) => [s.source, s.subject])).toEqual([['hex', 'phoenix']])
    expect(json.series[0].points.map((p: { day: string; value: number }) => [p.day, p.value])).toEqual([...FILLED, ['2026-11-24', 6_950]])
    const chart = await (await app.request('/frameworks/phoenix/chart?range=all')).text()
    const data = JSON.parse(decodeHTML(chart.match(/data-series="([^"]+)"/)![1]!))
    expect(data.labels).toEqual(['2025-01-02', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'])
    expect(data.datasets[0].data).toEqual([40, 5_100, 5_500, 4_902, 5_550, 6_950])
  })

  it('the next days ask the releases nothing; the week shown follows Hex, the change its daily counts', async () => {
    serveHex(fake, { downloads: DOWNLOADS, series: SERIES })
    await hex()
    for (let d = 1; d <= 7; d++) {
      fake.reset()
      serveHex(fake, { downloads: { ...DOWNLOADS, day: 7_000 + d, week: 50_000 + d }, series: SERIES })
      const [next] = await hex(days(d))
      expect(next).toMatchObject({ status: 'succeeded' })
      expect(releasesAsked()).toEqual([])
    }
    // 2026-11-24 … 2026-12-01 come from `day`, one a run; the history before from the releases.
    expect((await daily()).slice(-8)).toEqual([['2026-11-24', 6_950], ...Array.from({ length: 7 }, (_, i) => [`2026-11-${25 + i}`.replace('2026-11-31', '2026-12-01'), 7_001 + i])])
    const page = text(await (await testApp(t, { collected: new Set(['hex']) }).request('/frameworks/phoenix')).text())
    expect(page).toContain('Downloads, last 7 days as Hex states them · phoenix (Hex) 50K')
    expect(page).toContain("Hex's own count of the 7 days before 2026-12-02")
    // 11-25 … 12-01 (49,028) against 11-18 … 11-24, whose 11-18 and 11-19 are not stored: no change.
    expect(page).toContain('no prior week to compare')
  })

  it('beside Hex’s week, the change of its daily counts over the same seven days against the seven before', async () => {
    // 1.8.1 every day from 2026-11-11: 1,000 a day, then 1,100 a day from 2026-11-18.
    const full: HexSeries = { '1.8.1': Array.from({ length: 13 }, (_, i): [string, number] => [`2026-11-${11 + i}`, i < 7 ? 1_000 : 1_100]) }
    serveHex(fake, { downloads: { ...DOWNLOADS, day: 1_100, week: 7_700 }, series: full })
    await hex()
    const page = text(await (await testApp(t, { collected: new Set(['hex']) }).request('/frameworks/phoenix')).text())
    expect(page).toContain('Downloads, last 7 days as Hex states them · phoenix (Hex) 7.7K ▲ +10% vs previous 7 days')
  })

  it('missed runs leave a gap: only the missing days are asked for, and summed', async () => {
    serveHex(fake, { downloads: DOWNLOADS, series: SERIES })
    await hex()
    fake.reset()
    const later: HexSeries = { ...SERIES, '1.8.1': [...SERIES['1.8.1']!, ['2026-11-25', 4_000], ['2026-11-26', 4_100], ['2026-11-27', 77_777]], '1.8.0': [['2026-11-26', 11]] }
    serveHex(fake, { downloads: { ...DOWNLOADS, day: 8_000 }, series: later })
    await hex(days(3))
    // Stored up to 2026-11-24; `day` now gives 2026-11-27: the gap is 11-25 and 11-26. The day
    // before is asked for too (whether downloads_after includes its day is not documented).
    expect(releasesAsked()).toEqual(['1.8.1', '1.8.0', '1.8.0-rc.4', '1.8.0-rc.0', '1.7.21', '1.7.14'].map((v) => `${v}?downloads=day&downloads_after=2026-11-24`))
    expect((await daily()).slice(-4)).toEqual([['2026-11-24', 6_950], ['2026-11-25', 4_000], ['2026-11-26', 4_111], ['2026-11-27', 8_000]])
  })

  it('more releases than one run may ask for: the rest on the next run, no day written until all are in', async () => {
    const releases = Array.from({ length: SERIES_REQUESTS_PER_RUN + 10 }, (_, i) => ({ version: `1.0.${i}`, inserted_at: `2024-01-01T00:00:00.${String(i).padStart(6, '0')}Z` }))
    const series = Object.fromEntries(releases.map((r, i): [string, Array<[string, number]>] => [r.version, [['2026-11-20', i + 1]]]))
    serveHex(fake, { downloads: DOWNLOADS, series, releases })
    await hex()
    expect(releasesAsked()).toHaveLength(SERIES_REQUESTS_PER_RUN)
    expect(await daily()).toEqual([['2026-11-24', 6_950]])
    fake.reset()
    serveHex(fake, { downloads: { ...DOWNLOADS, day: 7_001 }, series, releases })
    await hex(days(1))
    // Only the ten not yet summed, over the same days as the first sixty.
    expect(releasesAsked()).toEqual(releases.slice(SERIES_REQUESTS_PER_RUN).map((r) => `${r.version}?downloads=day`))
    expect(await daily()).toEqual([['2026-11-20', (70 * 71) / 2], ['2026-11-24', 6_950], ['2026-11-25', 7_001]])
  })

  it('Hex’s 429 on a release pauses the history, keeps what was summed, and the week is stored all the same', async () => {
    serveHex(fake, { downloads: DOWNLOADS, series: SERIES })
    // hexpm's fixed 60-second window (attack.ex): remaining 0 until x-ratelimit-reset, no Retry-After.
    // Over the client's 5 s inline wait, so the 429 is a refusal, not a pause: dated when it is
    // answered, so a slow machine's setup never brings the reset within those 5 s.
    let reset = 0
    fake.on(/^\/api\/packages\/phoenix\/releases\/1\.8\.0-rc\.4\?/, () => {
      reset = Math.floor(Date.now() / 1000) + 7
      return {
        status: 429,
        headers: { ...rateLimitHeaders(), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: { status: 429, message: 'API rate limit exceeded for IP 127.0.0.1' },
      }
    })
    const [first] = await hex()
    expect(first).toMatchObject({ status: 'succeeded' })
    expect(releasesAsked()).toEqual(['1.8.1?downloads=day', '1.8.0?downloads=day', '1.8.0-rc.4?downloads=day'])
    expect(await daily()).toEqual([['2026-11-24', 6_950]])
    expect((await observations()).find((o) => o.metric === 'downloads_last_7d')).toMatchObject({ value: 48_213 })

    // Hex's window is over: the next run asks only for the four releases not summed yet.
    await sleep(Math.max(0, reset * 1000 - Date.now()) + 200)
    fake.reset()
    serveHex(fake, { downloads: { ...DOWNLOADS, day: 7_001 }, series: SERIES })
    const [second] = await hex(days(1))
    expect(second).toMatchObject({ status: 'succeeded' })
    expect(releasesAsked()).toEqual(['1.8.0-rc.4', '1.8.0-rc.0', '1.7.21', '1.7.14'].map((v) => `${v}?downloads=day`))
    expect(await daily()).toEqual([...FILLED, ['2026-11-24', 6_950], ['2026-11-25', 7_001]])
  }, 20_000)

  describe('a release series of the wrong shape fails the run and leaves earlier data untouched', () => {
    async function withGap() {
      serveHex(fake, { downloads: DOWNLOADS, series: SERIES })
      await hex()
      const before = await stored()
      fake.reset()
      serveHex(fake, { downloads: { ...DOWNLOADS, day: 8_000 }, series: SERIES })
      return before
    }
    const url = () => `${fake.url}/api/packages/phoenix/releases/1.8.1?downloads=day&downloads_after=2026-11-24`

    it('a total where the daily series should be', async () => {
      const before = await withGap()
      fake.on(/^\/api\/packages\/phoenix\/releases\/1\.8\.1\?/, { headers: rateLimitHeaders(), body: { version: '1.8.1', downloads: 16 } })
      await hex(days(3))
      await expectFailure(`hex / phoenix: unexpected response from ${url()}: downloads: Invalid input: expected array, received number`, before)
    })

    it('days out of order', async () => {
      const before = await withGap()
      const body = { version: '1.8.1', downloads: [['2026-11-26', 3], ['2026-11-25', 4]] }
      fake.on(/^\/api\/packages\/phoenix\/releases\/1\.8\.1\?/, { headers: rateLimitHeaders(), body })
      await hex(days(3))
      await expectFailure(`hex / phoenix: unexpected response from ${url()}: downloads[1][0]: 2026-11-25 is not after 2026-11-26 (one pair per day, oldest first)`, before)
    })

    it('a count that is not a count', async () => {
      const before = await withGap()
      const body = { version: '1.8.1', downloads: [['2026-11-25', '4']] }
      fake.on(/^\/api\/packages\/phoenix\/releases\/1\.8\.1\?/, { headers: rateLimitHeaders(), body })
      await hex(days(3))
      await expectFailure(new RegExp(`^hex / phoenix: unexpected response from .*: downloads\\[0\\]\\[1\\]: `), before)
    })

    it('another release’s series under the version asked for', async () => {
      const before = await withGap()
      fake.on(/^\/api\/packages\/phoenix\/releases\/1\.8\.1\?/, { headers: rateLimitHeaders(), body: { version: '1.8.0', downloads: [] } })
      await hex(days(3))
      await expectFailure(`hex / phoenix: ${url()}: version: expected "1.8.1", got "1.8.0"`, before)
    })
  })
})
