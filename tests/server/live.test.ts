import { decodeHTML } from 'entities'
import { beforeEach, describe, expect, it } from 'vitest'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { formatCompact } from '../../src/views/format.js'
import { BENCHMARKER, fixtureText, runBenchmarkJob, serveBenchmarks } from '../helpers/benchmark-upstream.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, serveNpm } from '../helpers/npm-upstream.js'
import { syncNpmFrom } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const NEXT_DAY = new Date('2026-11-26T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()

function app() {
  return testApp(t, { livePollSeconds: 15 })
}

const text = (html: string) => decodeHTML(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

/** The live region a page embeds: its fragment URL and the ETag of the bytes it shows. */
async function regionOf(a: ReturnType<typeof app>, page: string, id: string) {
  const html = await (await a.request(page)).text()
  const tag = html.match(new RegExp(`<div id="${id}"[^>]*>`))?.[0]
  expect(tag, `${page} has #${id}`).toBeDefined()
  const attr = (name: string) => decodeHTML(tag!.match(new RegExp(`${name}="([^"]*)"`))![1]!)
  expect(attr('hx-trigger')).toBe('live-poll')
  expect(attr('hx-swap')).toBe('innerMorph')
  return { src: attr('hx-get'), etag: attr('data-etag') }
}

/** Express's npm downloads over the 7 days to `last` (the fake upstream's deterministic counts). */
function weekTo(last: number) {
  let sum = 0
  for (let d = last - 6; d <= last; d++) sum += downloadsOn('express', `2026-11-${d}`)
  return sum
}

describe('live regions', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
  })

  it('the overview: 200 with the ETag the page carries, 304 while unchanged, 200 with the new figures after a sync', async () => {
    const a = app()
    const region = await regionOf(a, '/', 'live-overview')
    expect(region.src).toBe('/live/overview')

    const first = await a.request(region.src)
    expect(first.status).toBe(200)
    expect(first.headers.get('etag')).toBe(region.etag)
    expect(first.headers.get('cache-control')).toBe('no-cache')
    expect(first.headers.get('x-live-poll-seconds')).toBe('15')
    const before = text(await first.text())
    expect(before).toContain('Updated 2026-11-25 12:00 UTC')
    expect(before).toContain(`Downloads, last 7 days · express (npm) ${formatCompact(weekTo(24))}`)
    expect(before).toContain('vs previous 7 days to 2026-11-24')
    // A fragment, not a page: the region's content only.
    expect(before).not.toContain('<!DOCTYPE')

    const unchanged = await a.request(region.src, { headers: { 'if-none-match': region.etag } })
    expect(unchanged.status).toBe(304)
    expect(await unchanged.text()).toBe('')
    expect(unchanged.headers.get('etag')).toBe(region.etag)
    expect(unchanged.headers.get('x-live-poll-seconds')).toBe('15')

    // A day later the npm job stores 2026-11-25: a real write, bumping the data version.
    await syncNpmFrom(t.db, t.catalog, fake.url, NEXT_DAY)
    const changed = await a.request(region.src, { headers: { 'if-none-match': region.etag } })
    expect(changed.status).toBe(200)
    const etag = changed.headers.get('etag')!
    expect(etag).toMatch(/^W\/"[\w-]+"$/)
    expect(etag).not.toBe(region.etag)
    const after = text(await changed.text())
    expect(after).toContain('Updated 2026-11-26 12:00 UTC')
    expect(after).toContain(`Downloads, last 7 days · express (npm) ${formatCompact(weekTo(25))}`)
    expect(after).toContain('vs previous 7 days to 2026-11-25')
    // The page rendered now embeds the same bytes again.
    expect((await regionOf(a, '/', 'live-overview')).etag).toBe(etag)
    expect((await a.request(region.src, { headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  it('a framework page: figures, chart and releases; gzip and identity share the weak ETag', async () => {
    const a = app()
    const region = await regionOf(a, '/frameworks/express?range=30d', 'live-framework')
    expect(region.src).toBe('/live/frameworks/express?range=30d')

    const first = await a.request(region.src, { headers: { 'accept-encoding': 'gzip' } })
    expect(first.status).toBe(200)
    expect(first.headers.get('content-encoding')).toBe('gzip')
    expect(first.headers.get('etag')).toBe(region.etag)
    const html = await (await a.request(region.src)).text()
    expect(text(html)).toContain('Updated 2026-11-25 12:00 UTC')
    const series = JSON.parse(decodeHTML(html.match(/data-series="([^"]+)"/)![1]!))
    expect(series.labels.at(-1)).toBe('2026-11-24')
    expect(html).toContain('id="trend-chart"')
    expect(html).toContain('id="releases-title"')

    // The client may send the weak tag or its strong form; either matches (RFC 9110 §13.1.2).
    expect((await a.request(region.src, { headers: { 'if-none-match': region.etag } })).status).toBe(304)
    expect((await a.request(region.src, { headers: { 'if-none-match': `"x", ${region.etag.slice(2)}` } })).status).toBe(304)

    await syncNpmFrom(t.db, t.catalog, fake.url, NEXT_DAY)
    const changed = await a.request(region.src, { headers: { 'if-none-match': region.etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(region.etag)
    const after = await changed.text()
    const newSeries = JSON.parse(decodeHTML(after.match(/data-series="([^"]+)"/)![1]!))
    expect(newSeries.labels.at(-1)).toBe('2026-11-25')
    expect(newSeries.datasets[0].data.at(-1)).toBe(downloadsOn('express', '2026-11-25'))
    expect(text(after)).toContain('Updated 2026-11-26 12:00 UTC')
  })

  it('a region the new data does not touch stays 304 though the data version moved', async () => {
    const a = app()
    const region = await regionOf(a, '/frameworks/django', 'live-framework')
    await syncNpmFrom(t.db, t.catalog, fake.url, NEXT_DAY)
    // Express's page changed; Django's region is the same bytes, so the same tag.
    expect((await a.request(region.src, { headers: { 'if-none-match': region.etag } })).status).toBe(304)
  })

  it('the status table: rendered per request, 304 while no run changed, 200 after a run', async () => {
    const a = app()
    const region = await regionOf(a, '/status', 'live-status')
    expect(region.src).toBe('/live/status')
    const first = await a.request(region.src)
    expect(first.status).toBe(200)
    expect(first.headers.get('etag')).toBe(region.etag)
    expect(text(await first.text())).toContain('Every last run succeeded.')
    expect((await a.request(region.src, { headers: { 'if-none-match': region.etag } })).status).toBe(304)

    // A failing run writes no data, yet the table must show it.
    fake.on(/.*/, { status: 503, body: 'down' })
    await syncNpmFrom(t.db, t.catalog, fake.url, NEXT_DAY)
    const changed = await a.request(region.src, { headers: { 'if-none-match': region.etag } })
    expect(changed.status).toBe(200)
    expect(text(await changed.text())).toContain('4 of 4 last runs failed.')
  })

  it('/compare: the chart polls /live/compare with every fw; the form gets the same bytes and tag; 304; 200 with the new day', async () => {
    const a = app()
    const state = 'fw=express&fw=nestjs&metric=downloads&range=30d&view=absolute&smooth=none'
    const region = await regionOf(a, `/compare?${state}`, 'live-compare')
    expect(region.src).toBe(`/live/compare?${state}`)

    const first = await a.request(region.src)
    expect(first.status).toBe(200)
    expect(first.headers.get('etag')).toBe(region.etag)
    expect(first.headers.get('cache-control')).toBe('no-cache')
    expect(first.headers.get('x-live-poll-seconds')).toBe('15')
    // A poll must not add a history entry: only the form's fragment names a URL to push.
    expect(first.headers.get('hx-push-url')).toBeNull()
    const html = await first.text()
    expect(html).not.toContain('<!DOCTYPE')
    expect(text(html)).toContain('Updated 2026-11-25 12:00 UTC')
    const series = JSON.parse(decodeHTML(html.match(/data-series="([^"]+)"/)![1]!))
    expect(series.datasets.map((d: { label: string }) => d.label)).toEqual(['Express · express (npm)', 'NestJS · @nestjs/core (npm)'])
    expect(series.labels.at(-1)).toBe('2026-11-24')

    // The form's swap (/compare/chart) is the same fragment: same bytes, same tag, and the page URL.
    const form = await a.request(`/compare/chart?${state}`)
    expect(form.headers.get('etag')).toBe(region.etag)
    expect(form.headers.get('hx-push-url')).toBe(`/compare?${state}`)
    expect(await form.text()).toBe(html)

    expect((await a.request(region.src, { headers: { 'if-none-match': region.etag } })).status).toBe(304)
    // The same state spelled otherwise (fw as a list, the rest defaulted) is the same region.
    expect((await a.request('/live/compare?fw=express,nestjs&range=30d', { headers: { 'if-none-match': region.etag } })).status).toBe(304)
    // Another choice is another region.
    const express = await a.request('/live/compare?fw=express&range=30d', { headers: { 'if-none-match': region.etag } })
    expect(express.status).toBe(200)
    expect(JSON.parse(decodeHTML((await express.text()).match(/data-series="([^"]+)"/)![1]!)).datasets).toHaveLength(1)

    await syncNpmFrom(t.db, t.catalog, fake.url, NEXT_DAY)
    const changed = await a.request(region.src, { headers: { 'if-none-match': region.etag } })
    expect(changed.status).toBe(200)
    const etag = changed.headers.get('etag')!
    expect(etag).not.toBe(region.etag)
    const after = await changed.text()
    const newSeries = JSON.parse(decodeHTML(after.match(/data-series="([^"]+)"/)![1]!))
    expect(newSeries.labels.at(-1)).toBe('2026-11-25')
    expect(newSeries.datasets[0].data.at(-1)).toBe(downloadsOn('express', '2026-11-25'))
    expect(text(after)).toContain('Updated 2026-11-26 12:00 UTC')
    expect((await regionOf(a, `/compare?${state}`, 'live-compare')).etag).toBe(etag)
    expect((await a.request(`/compare/chart?${state}`)).headers.get('etag')).toBe(etag)
    expect((await a.request(region.src, { headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  it('/benchmarks: the results region per variants choice; 304 while unchanged; 200 with each new import', async () => {
    const a = app()
    const region = await regionOf(a, '/benchmarks', 'live-benchmarks')
    expect(region.src).toBe('/live/benchmarks?variants=one')
    const all = await regionOf(a, '/benchmarks?variants=all', 'live-benchmarks')
    expect(all.src).toBe('/live/benchmarks?variants=all')

    const first = await a.request(region.src)
    expect(first.status).toBe(200)
    expect(first.headers.get('etag')).toBe(region.etag)
    expect(first.headers.get('x-live-poll-seconds')).toBe('15')
    const before = text(await first.text())
    expect(before).toContain('Nothing imported yet')
    expect(before).toContain('No the-benchmarker/web-frameworks run imported yet.')
    expect((await a.request(region.src, { headers: { 'if-none-match': region.etag } })).status).toBe(304)

    // The-benchmarker's file is imported: the region shows its run and figures.
    serveBenchmarks(fake)
    await runBenchmarkJob(t, fake, 'the-benchmarker', {}, NOW)
    const imported = await a.request(region.src, { headers: { 'if-none-match': region.etag } })
    expect(imported.status).toBe(200)
    const etag = imported.headers.get('etag')!
    expect(etag).not.toBe(region.etag)
    const body = text(await imported.text())
    expect(body).toContain('Last import 2026-11-25 12:00 UTC')
    expect(body).toContain('Django python/django 6 2,545 (#281 of 333) · 35.86 ms')
    expect(body).not.toContain('No the-benchmarker/web-frameworks run imported yet.')
    expect((await regionOf(a, '/benchmarks', 'live-benchmarks')).etag).toBe(etag)
    expect((await a.request(region.src, { headers: { 'if-none-match': etag } })).status).toBe(304)
    // Every variant is another rendering, with its own tag.
    const allNow = await a.request(all.src, { headers: { 'if-none-match': etag } })
    expect(allNow.status).toBe(200)
    expect(text(await allNow.text())).toContain('ASP.NET Core csharp/aspnet-mvc 10')

    // A new run a day later, with a new figure for Django.
    const next = fixtureText(BENCHMARKER).replace('"2026-02-11 23:25:12 UTC"', '"2026-03-01 10:00:00 UTC"').replace('"value":2544.547359400237', '"value":2799.0')
    fake.on(/^\/the-benchmarker\//, { body: next, headers: { etag: '"bm-2"' } })
    await runBenchmarkJob(t, fake, 'the-benchmarker', {}, NEXT_DAY)
    const changed = await a.request(region.src, { headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
    const after = text(await changed.text())
    expect(after).toContain('Last import 2026-11-26 12:00 UTC')
    expect(after).toMatch(/Django python\/django 6 2,799 \(#\d+ of 333\)/)
  })

  it('answers 404 for an unknown framework and 400 for a bad range, never a 304', async () => {
    const a = app()
    expect((await a.request('/live/frameworks/nope', { headers: { 'if-none-match': '*' } })).status).toBe(404)
    const bad = await a.request('/live/frameworks/express?range=2d')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('range')
    const compare = await a.request('/live/compare?fw=express&fw=nope', { headers: { 'if-none-match': '*' } })
    expect(compare.status).toBe(400)
    expect(text(await compare.text())).toContain('fw: unknown framework "nope"')
    expect((await a.request('/live/benchmarks?variants=some')).status).toBe(400)
  })
})
