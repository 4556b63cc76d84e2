import { beforeEach, describe, expect, it } from 'vitest'
import { finishRun, startRun } from '../../src/db/job-runs.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { runSource } from '../../src/jobs/run-source.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, serveNpm } from '../helpers/npm-upstream.js'
import { npmSourceOf, syncNpmFrom, testConfig, testRunContext } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { unusedPort } from '../helpers/ports.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()

function app() {
  return testApp(t)
}

async function syncNpm() {
  return syncNpmFrom(t.db, t.catalog, fake.url, NOW)
}

const text = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

/** The last 7 stored days (to 2026-11-24) of a package in the fake upstream. */
function lastWeek(pkg: string) {
  let sum = 0
  for (let d = 18; d <= 24; d++) sum += downloadsOn(pkg, `2026-11-${d}`)
  return sum
}

describe('pages', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
  })

  it('/ lists the ten frameworks in guide order with their guide text, before any sync', async () => {
    const res = await app().request('/')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    const names = [...html.matchAll(/<h2><a href="\/frameworks\/([a-z-]+)">/g)].map((m) => m[1])
    expect(names).toEqual(t.catalog.map((f) => f.slug))
    expect(text(html)).toContain('FastAPI has seen explosive growth due to its speed and simplicity.')
    expect(text(html)).toContain('Not tracked yet: PyPI downloads (Django)')
    expect(text(html)).toContain('No npm download figures yet: not synced yet.')
  })

  it('/ shows weekly npm downloads with the change, its source and fetch time after a sync', async () => {
    await syncNpm()
    const html = text(await (await app().request('/')).text())
    expect(lastWeek('express')).toBe(56_882_540)
    expect(html).toContain('Downloads, last 7 days · express (npm) 56.9M')
    // Growing 0.15 % a day is 1.0015^7 - 1 = 1.056 % a week.
    expect(html).toContain('▲ +1.1% vs previous 7 days to 2026-11-24')
    expect(html).toContain('Source: npm downloads API · fetched 2026-11-25 12:00 UTC')
    expect(html).toContain(`Downloads, last 7 days · @nestjs/core (npm) ${(lastWeek('@nestjs/core') / 1e6).toFixed(1)}M`)
  })

  it('with the downloads host refused, Express shows the registry\'s releases and cadence; the downloads chart names that host', async () => {
    const port = await unusedPort()
    const config = testConfig(fake.url, { NPM_API_URL: `http://127.0.0.1:${port}`, HTTP_RETRIES: '0' })
    await runSource(testRunContext(t.db, t.catalog, config, NOW), npmSourceOf(config))
    const html = await (await app().request('/frameworks/express')).text()
    const page = text(html)
    // The registry's releases, the loose prereleases of 2010-2012 apart; nothing dated after NOW's year.
    // The page counts days to the machine's clock (the fixture's newest release is 2025-06-20).
    expect(page).toMatch(/Releases 0 stable releases in the last 365 days; last 4\.22\.0, \d+ days ago; latest line 5\.1\./)
    expect(page).toContain('Source: releases from npm · fetched 2026-11-25 12:00 UTC Version Published Source 4.22.0 2025-06-20 npm 5.1.0')
    expect(page).toContain('1.0.0rc4 prerelease 2010-12-29')
    // The downloads chart blames the downloads host, by name; the registry's host is not named.
    const refused = `Last npm downloads sync failed: could not reach 127.0.0.1:${port} (ECONNREFUSED) (see status )`
    expect(page).toContain(`Downloads No download data yet Nothing stored from npm yet. ${refused}`)
    expect(page).not.toContain(new URL(fake.url).host)
  })

  it('/ says when the npm sync failed, with the error', async () => {
    fake.on(/.*/, { status: 503, body: 'down' })
    await syncNpm()
    const html = text(await (await app().request('/')).text())
    expect(html).toContain('No npm download figures yet. Last npm downloads sync failed: npm / express: HTTP 503')
    expect(html).toMatch(/Last npm downloads sync failed: npm \/ express: HTTP 503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/downloads\/range\//)
  })

  it('/frameworks/:slug shows the guide section, the chart with its data and the releases', async () => {
    await syncNpm()
    const res = await app().request('/frameworks/express')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(text(html)).toContain('What the guide says (ranked #2)')
    expect(html).toContain('<p>Node.js paired with Express.js remains a dominant force')
    const series = JSON.parse(decodeEntities(html.match(/data-series="([^"]+)"/)![1]!))
    // Default range 90 days, ending on the newest stored day.
    expect(series.labels).toHaveLength(90)
    expect(series.labels.at(-1)).toBe('2026-11-24')
    expect(series.datasets[0].label).toBe('express (npm)')
    expect(series.datasets[0].data.at(-1)).toBe(downloadsOn('express', '2026-11-24'))
    expect(html).toMatch(/<a href="https:\/\/www\.npmjs\.com\/package\/express\/v\/5\.1\.0">5\.1\.0<\/a>/)
    expect(text(html)).toContain('5.0.0-beta.3 prerelease')
    expect(html).toMatch(/aria-current="true"[^>]*>90 d</)
  })

  it('range links swap the chart fragment and keep state in the URL', async () => {
    await syncNpm()
    const page = await (await app().request('/frameworks/express?range=30d')).text()
    expect(page).toContain('hx-get="/frameworks/express/chart?range=1y"')
    expect(page).toContain('hx-push-url="/frameworks/express?range=1y"')
    const res = await app().request('/frameworks/express/chart?range=1y')
    expect(res.status).toBe(200)
    const fragment = await res.text()
    expect(fragment.startsWith('<section id="trend-chart"')).toBe(true)
    const series = JSON.parse(decodeEntities(fragment.match(/data-series="([^"]+)"/)![1]!))
    expect(series.labels).toHaveLength(365)
  })

  it('"all" over a long history ships weekly totals, never more than 1,000 points', async () => {
    const config = testConfig(fake.url, { NPM_BACKFILL_DAYS: '3000' })
    await runSource(testRunContext(t.db, t.catalog, config, NOW), npmSourceOf(config))
    const res = await app().request('/api/frameworks/express/series?range=all')
    const json = await res.json()
    expect(res.status, JSON.stringify(json)).toBe(200)
    expect(json.bucket).toBe('week')
    const points = json.series[0].points
    expect(points.length).toBeLessThanOrEqual(1000)
    expect(points.length).toBeGreaterThan(400)
    // Weeks start on Monday and hold 7 days; the partial weeks at both ends are left out.
    expect(new Date(`${points[0].day}T00:00:00Z`).getUTCDay()).toBe(1)
    expect(points.at(-1).day).toBe('2026-11-16')
    expect(points.at(-1).value).toBe(lastWeek('express') - downloadsOn('express', '2026-11-23') - downloadsOn('express', '2026-11-24') + downloadsOn('express', '2026-11-16') + downloadsOn('express', '2026-11-17'))
  })

  it('a framework without npm says why its chart is empty', async () => {
    await syncNpm()
    const html = text(await (await app().request('/frameworks/django')).text())
    expect(html).toContain('No download data yet')
    expect(html).toContain("Framework Pulse does not collect this framework's registry yet (PyPI downloads, GitHub stars and releases)")
  })

  it('an unknown framework is a 404 page; a bad range is a 400 with the reason', async () => {
    const missing = await app().request('/frameworks/not-a-framework')
    expect(missing.status).toBe(404)
    expect(text(await missing.text())).toContain('There is no page at /frameworks/not-a-framework.')
    const bad = await app().request('/frameworks/express?range=5y')
    expect(bad.status).toBe(400)
    expect(text(await bad.text())).toContain('range: must be one of 30d, 90d, 1y, 3y, all')
    const api = await app().request('/api/frameworks/express/series?metric=karma')
    expect(api.status).toBe(400)
    expect((await api.json()).error).toMatch(/^metric: must be one of downloads, downloads_total, stars, /)
    expect((await app().request('/api/frameworks/nope/series')).status).toBe(404)
  })

  it('the JSON series names its source, bucket and fetch time', async () => {
    await syncNpm()
    const json = await (await app().request('/api/frameworks/nestjs/series?range=30d')).json()
    expect(json).toMatchObject({ framework: 'nestjs', metric: 'downloads', range: '30d', bucket: 'day', from: '2026-10-26', to: '2026-11-24', fetchedAt: NOW.toISOString() })
    expect(json.series).toHaveLength(1)
    expect(json.series[0]).toMatchObject({ source: 'npm', subject: '@nestjs/core' })
    expect(json.series[0].points).toHaveLength(30)
  })

  it('answers a repeated request with 304 until the data changes', async () => {
    const a = app()
    const first = await a.request('/')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"[\d.]+-[a-z0-9]+"$/)
    expect((await a.request('/', { headers: { 'if-none-match': etag } })).status).toBe(304)
    await syncNpm()
    const after = await a.request('/', { headers: { 'if-none-match': etag } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(etag)
  })

  it('/status lists each source and framework with its last error', async () => {
    fake.on(/^\/@nestjs%2Fcore$/, { status: 404, body: { error: 'Not found' } })
    await syncNpm()
    await finishRun(t.db, await startRun(t.db, { job: 'events', source: 'events', frameworkId: null }), { status: 'succeeded', rowsWritten: 3 })
    const res = await app().request('/status')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = text(await res.text())
    expect(html).toContain('Database: embedded PGlite'.slice(0, t.handle.kind === 'pglite' ? 25 : 0))
    expect(html).toMatch(/npm express downloads .* succeeded .* 548 0 npm express releases .* succeeded .* 13 0/)
    expect(html).toMatch(/npm nestjs releases .* failed never 0 0 npm \/ nestjs: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/@nestjs%2Fcore/)
    // A step after each job, not an upstream: named for what it derives.
    expect(html).toMatch(/feed events \(derived\) all .* succeeded .* 3 0/)
  })

  it('serves htmx and the client bundle with immutable caching and a strict CSP', async () => {
    const html = await (await app().request('/')).text()
    const urls = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
    expect(urls).toHaveLength(3)
    for (const url of urls) {
      const res = await app().request(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    }
    const htmx = await (await app().request(urls.find((u) => u.includes('htmx'))!)).text()
    expect(htmx).toContain('htmx')
    const res = await app().request('/')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/)
  })
})

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

describe('/status rate-limit budget', () => {
  it('shows the budget an upstream last reported', async () => {
    const { saveSourceState } = await import('../../src/db/writes.js')
    await saveSourceState(t.db, 'github', 'rate_limit', { limit: 60, remaining: 17, resetAt: '2026-11-25T13:00:00.000Z', resource: 'core' }, NOW)
    const html = text(await (await app().request('/status')).text())
    expect(html).toContain('GitHub rate limit: 17 of 60 requests left, resetting at 2026-11-25 13:00 UTC (reported 2026-11-25 12:00 UTC ).')
  })
})

describe('compression', () => {
  it('serves a cached page gzipped to clients that accept it, identical once inflated', async () => {
    const { gunzipSync } = await import('node:zlib')
    await loadGuideSnapshot(t.db, t.catalog)
    const a = app()
    const plain = await a.request('/')
    const gz = await a.request('/', { headers: { 'accept-encoding': 'gzip, br' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('vary')).toBe('Accept-Encoding')
    const inflated = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')
    expect(inflated).toBe(await plain.text())
    expect(plain.headers.get('content-encoding')).toBeNull()
  })
})

describe('cached pages and run outcomes', () => {
  it('a failed sync that writes nothing still shows on the cached overview; a steady one keeps the ETag', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpm()
    const a = app()
    const first = await a.request('/')
    const etag = first.headers.get('etag')!
    expect(text(await first.text())).not.toContain('sync failed')
    // The same data again: the page and its ETag stay.
    await syncNpm()
    expect((await a.request('/', { headers: { 'if-none-match': etag } })).status).toBe(304)
    // Upstream down: nothing is written, yet the page must say so.
    fake.reset()
    fake.on(/.*/, { status: 503, body: 'down' })
    await syncNpm()
    expect(text(await (await a.request('/')).text())).toContain('Last npm downloads sync failed: npm / express: HTTP 503')
  })
})
