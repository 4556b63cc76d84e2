import { beforeEach, describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import { bumpDataVersion, upsertObservations } from '../../src/db/writes.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, serveNpm } from '../helpers/npm-upstream.js'
import { syncNpmFrom } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const LAST_DAY = '2026-11-24'
const t = useTestDatabase()
const fake = useFakeUpstream()

function app() {
  return testApp(t, { collected: new Set(['npm', 'github']) })
}

const HEADER = 'framework,source,package,metric,range,bucket,day,value,fetched_at'

describe('/api/frameworks/:slug/series', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
  })

  it('?format=csv: a header, one row per point with source and fetch time, a file name', async () => {
    const res = await app().request('/api/frameworks/express/series?range=30d&format=csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="framework-pulse-express-downloads-30d.csv"')
    const lines = (await res.text()).split('\r\n')
    expect(lines[0]).toBe(HEADER)
    expect(lines.at(-1)).toBe('')
    expect(lines).toHaveLength(1 + 30 + 1)
    expect(lines[1]).toBe(`express,npm,express,downloads,30d,day,${addDays(LAST_DAY, -29)},${downloadsOn('express', addDays(LAST_DAY, -29))},${NOW.toISOString()}`)
    expect(lines[30]).toBe(`express,npm,express,downloads,30d,day,${LAST_DAY},${downloadsOn('express', LAST_DAY)},${NOW.toISOString()}`)
  })

  it('has the same points as the JSON, package names as stored', async () => {
    const json = (await (await app().request('/api/frameworks/nestjs/series?range=1y')).json()) as { bucket: string; series: { points: { day: string; value: number }[] }[] }
    const csv = await (await app().request('/api/frameworks/nestjs/series?range=1y&format=csv')).text()
    const rows = csv.trimEnd().split('\r\n').slice(1).map((l) => l.split(','))
    expect(rows.map((r) => [r[6], Number(r[7])])).toEqual(json.series[0]!.points.map((p) => [p.day, p.value]))
    expect(rows[0]!.slice(0, 6)).toEqual(['nestjs', 'npm', '@nestjs/core', 'downloads', '1y', json.bucket])
  })

  it('Accept: text/csv gets CSV without ?format; JSON stays the default; ?format wins', async () => {
    const csv = await app().request('/api/frameworks/express/series?range=30d', { headers: { accept: 'text/csv' } })
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('vary')).toContain('Accept')
    expect((await csv.text()).startsWith(HEADER)).toBe(true)
    const preferJson = await app().request('/api/frameworks/express/series?range=30d', { headers: { accept: 'application/json, text/csv;q=0.5' } })
    expect(preferJson.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const browser = await app().request('/api/frameworks/express/series?range=30d', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(browser.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const forced = await app().request('/api/frameworks/express/series?range=30d&format=json', { headers: { accept: 'text/csv' } })
    expect(forced.headers.get('content-type')).toBe('application/json; charset=utf-8')
    // JSON and CSV are different representations: different ETags, each answered with 304.
    const etag = csv.headers.get('etag')!
    expect(etag).not.toBe(forced.headers.get('etag'))
    const again = await app().request('/api/frameworks/express/series?range=30d&format=csv', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
  })

  it('serves every metric a framework page charts, and each chart links its CSV and JSON', async () => {
    const express = await frameworkIdOf(t.db, 'express')
    await upsertObservations(t.db, [
      ...Array.from({ length: 5 }, (_, i) => ({ framework_id: express, source: 'github', subject: 'expressjs/express', metric: 'stars', day: addDays(LAST_DAY, -i), value: 66_000 - i, fetched_at: NOW })),
      ...Array.from({ length: 5 }, (_, i) => ({ framework_id: express, source: 'github', subject: 'expressjs/express', metric: 'stars_retained', day: addDays(LAST_DAY, -i), value: 10, fetched_at: NOW })),
    ])
    await bumpDataVersion(t.db)
    const html = (await (await app().request('/frameworks/express?range=90d')).text()).replaceAll('&amp;', '&')
    expect(html.replaceAll('&#39;', "'")).toContain(`, anchored to today's count of 66,000 stars (GitHub, ${LAST_DAY})`)
    const links = [...html.matchAll(/<a href="(\/api\/frameworks\/[^"]+)">(CSV|JSON)<\/a>/g)].map((m) => m[1]!)
    expect(links).toEqual([
      '/api/frameworks/express/series?metric=downloads&range=90d&format=csv',
      '/api/frameworks/express/series?metric=downloads&range=90d&format=json',
      '/api/frameworks/express/series?metric=stars&range=90d&format=csv',
      '/api/frameworks/express/series?metric=stars&range=90d&format=json',
      '/api/frameworks/express/series?metric=stars_retained&range=90d&format=csv',
      '/api/frameworks/express/series?metric=stars_retained&range=90d&format=json',
    ])
    for (const link of links) {
      const res = await app().request(link)
      expect(res.status, link).toBe(200)
      if (link.endsWith('csv')) expect((await res.text()).split('\r\n').length).toBeGreaterThan(2)
    }
    const stars = await (await app().request('/api/frameworks/express/series?metric=stars&range=30d&format=csv')).text()
    expect(stars).toContain(`express,github,expressjs/express,stars,30d,day,${LAST_DAY},66000,${NOW.toISOString()}`)
  })

  it('says why a series is empty, per source, as the pages do', async () => {
    const get = async (url: string) => (await (await app().request(url)).json()) as { series: unknown[]; missing?: string }
    expect(await get('/api/frameworks/flask/series?metric=stars')).toMatchObject({ series: [], missing: 'GitHub: not synced yet' })
    expect(await get('/api/frameworks/spring-boot/series')).toMatchObject({ series: [], missing: 'Maven Central publishes no download counts' })
    expect(await get('/api/frameworks/flask/series')).toMatchObject({ series: [], missing: 'Framework Pulse does not collect PyPI' })
    expect(await get('/api/frameworks/express/series')).not.toHaveProperty('missing')
  })

  it('takes the same 3-year range as /compare, and the page offers it', async () => {
    const res = await app().request('/api/frameworks/express/series?range=3y')
    expect(res.status).toBe(200)
    const json = (await res.json()) as { range: string; series: { points: unknown[] }[] }
    expect(json.range).toBe('3y')
    // The fixture's 18 months of days: fewer than 1,000, so still one point a day.
    expect(json.series[0]!.points.length).toBeGreaterThan(365)
    const page = await app().request('/frameworks/express?range=3y')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('aria-current="true">3 y<')
  })

  it.each([
    ['/api/frameworks/express/series?metric=karma', 'metric: must be one of downloads, downloads_total, stars'],
    ['/api/frameworks/express/series?format=xml', 'format: must be one of json, csv'],
    ['/api/frameworks/express/series?range=5y&format=csv', 'range: must be one of 30d, 90d, 1y, 3y, all'],
    ['/api/frameworks/express/series?metric=downloads&metric=stars', 'metric: must be one of'],
  ])('%s → 400 naming the parameter', async (url, message) => {
    const res = await app().request(url)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toContain(message)
  })

  it('an unknown framework is a 404 in either format', async () => {
    for (const url of ['/api/frameworks/nope/series', '/api/frameworks/nope/series?format=csv']) expect((await app().request(url)).status).toBe(404)
  })
})
