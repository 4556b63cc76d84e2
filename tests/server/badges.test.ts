import { beforeEach, describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import { frameworkIds } from '../../src/db/queries/frameworks.js'
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
  return testApp(t)
}

describe('/frameworks/:slug/badge.svg', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
  })

  it('is an SVG with the weekly downloads, the registry and a sparkline, with an ETag', async () => {
    const res = await app().request('/frameworks/express/badge.svg?metric=downloads')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    // An embed: other sites may show it.
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect((await app().request('/compare')).headers.get('cross-origin-resource-policy')).toBe('same-origin')
    const svg = await res.text()
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    let week = 0
    for (let i = 0; i < 7; i++) week += downloadsOn('express', addDays(LAST_DAY, -i))
    expect(svg).toContain(`>Express downloads (npm)</text>`)
    expect(svg).toContain(`>${new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(week)}/week</text>`)
    // 90 points in the polyline.
    expect(svg.match(/<polyline points="([^"]+)"/)![1]!.split(' ')).toHaveLength(90)
    const etag = res.headers.get('etag')!
    expect((await app().request('/frameworks/express/badge.svg?metric=downloads', { headers: { 'if-none-match': etag } })).status).toBe(304)
    // New data, new version: a new ETag.
    await bumpDataVersion(t.db)
    expect((await app().request('/frameworks/express/badge.svg?metric=downloads')).headers.get('etag')).not.toBe(etag)
  })

  it('escapes what it prints', async () => {
    await t.db.updateTable('frameworks').set({ name: 'Ex<script>alert(1)</script>&"' }).where('slug', '=', 'express').execute()
    await bumpDataVersion(t.db)
    const svg = await (await app().request('/frameworks/express/badge.svg')).text()
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('Ex&lt;script&gt;alert(1)&lt;/script&gt;&amp;')
  })

  it('says when there is no data, and shows levels as they are', async () => {
    const none = await (await app().request('/frameworks/flask/badge.svg?metric=stars')).text()
    expect(none).toContain('>no data</text>')
    expect(none).toContain('no data stored yet')
    // Spring Boot is on Maven Central alone, which publishes no download counts: none will come.
    const maven = await (await app().request('/frameworks/spring-boot/badge.svg?metric=downloads')).text()
    expect(maven).toContain('>not published</text>')
    expect(maven).toContain('Maven Central publishes no download counts')
    const ids = await frameworkIds(t.db)
    await upsertObservations(t.db, [0, 1, 2].map((i) => ({ framework_id: ids.get('flask')!, source: 'github', subject: 'pallets/flask', metric: 'stars', day: addDays(LAST_DAY, -i), value: 69_000 - i, fetched_at: NOW })))
    await bumpDataVersion(t.db)
    const stars = await (await app().request('/frameworks/flask/badge.svg?metric=stars&range=30d')).text()
    expect(stars).toContain('>Flask stars (GitHub)</text>')
    expect(stars).toContain('>69K</text>')
  })

  it.each([
    ['/frameworks/express/badge.svg?metric=karma', 'metric: must be one of', 'metric'],
    ['/frameworks/express/badge.svg?metric=downloads&metric=stars', 'metric: must be one of', 'metric'],
    ['/frameworks/express/badge.svg?range=all', 'range: must be one of 30d, 90d, 1y', 'range'],
  ])('%s → 400, as a badge an <img> can show', async (url, message, name) => {
    const res = await app().request(url)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    const svg = await res.text()
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg).toContain(`>invalid ${name}</text>`)
    expect(svg).toContain(`<title>${message}`)
    expect(svg).not.toContain('<html')
  })

  it('an unknown framework is a 404', async () => {
    expect((await app().request('/frameworks/nosuch/badge.svg')).status).toBe(404)
  })
})

describe('the overview scorecard', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
  })

  it('shows a 90-day sparkline, the 28-day trend and release freshness per framework', async () => {
    const html = await (await app().request('/')).text()
    const card = html.slice(html.indexOf('<a href="/frameworks/express">'), html.indexOf('<a href="/frameworks/spring-boot">'))
    const line = card.match(/<svg class="sparkline"[^>]*aria-label="express \(npm\) downloads per day, last 90 days"[\s\S]*?<polyline points="([^"]+)"/)
    expect(line).not.toBeNull()
    expect(line![1]!.split(' ')).toHaveLength(90)
    // 0.15 % a day: the last 28 days' mean is 1.0015^28 - 1 = 4.3 % above the 28 before.
    expect(card).toContain('▲ +4.3% <span class="muted">last 28 days vs the 28 before</span>')
    expect(card).toMatch(/last release \d+\.\d+\.\d+[^,]*, (today|\d+ d ago)/)
    expect(card).toContain('href="/compare?fw=express&amp;metric=downloads&amp;range=90d"')
    // No data, no scorecard: Django has neither downloads nor releases here.
    const django = html.slice(html.indexOf('<a href="/frameworks/django">'), html.indexOf('<a href="/frameworks/express">'))
    expect(django).not.toContain('class="scorecard"')
  })
})
