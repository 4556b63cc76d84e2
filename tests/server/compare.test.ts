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

const decode = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
const seriesOf = (html: string) => JSON.parse(decode(html.match(/data-series="([^"]+)"/)![1]!)) as { labels: string[]; datasets: { label: string; data: (number | null)[] }[] }

/** Ten years of daily GitHub stars for flask and PyPI downloads beside npm: long and mixed data. */
async function seedLongHistory() {
  const ids = await frameworkIds(t.db)
  const rows = []
  for (let i = 0; i < 3650; i++) {
    const day = addDays(LAST_DAY, -i)
    rows.push({ framework_id: ids.get('flask')!, source: 'github', subject: 'pallets/flask', metric: 'stars', day, value: 70_000 - i * 5, fetched_at: NOW })
    rows.push({ framework_id: ids.get('express')!, source: 'github', subject: 'expressjs/express', metric: 'stars', day, value: 66_000 - i * 4, fetched_at: NOW })
    if (i < 400) rows.push({ framework_id: ids.get('flask')!, source: 'pypi', subject: 'flask', metric: 'downloads', day, value: 2_000_000, fetched_at: NOW })
  }
  await upsertObservations(t.db, rows)
  await bumpDataVersion(t.db)
}

describe('/compare', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    serveNpm(fake)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
  })

  it('renders the form and the chart with its data and table, without JavaScript', async () => {
    const res = await app().request('/compare?fw=express&fw=nestjs&metric=downloads&range=90d&view=absolute&smooth=none')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html).toContain('<form class="compare-form" method="get" action="/compare"')
    expect(html).toMatch(/<input type="checkbox" name="fw" value="express" checked=""\/>/)
    expect(html).toMatch(/<input type="checkbox" name="fw" value="flask"\/>/)
    const data = seriesOf(html)
    expect(data.labels).toHaveLength(90)
    expect(data.labels.at(-1)).toBe(LAST_DAY)
    expect(data.datasets.map((d) => d.label)).toEqual(['Express · express (npm)', 'NestJS · @nestjs/core (npm)'])
    expect(data.datasets[0]!.data.at(-1)).toBe(downloadsOn('express', LAST_DAY))
    expect(html).toContain('Registries count differently')
    expect(html).toContain('<td class="num">' + new Intl.NumberFormat('en').format(downloadsOn('express', LAST_DAY)) + '</td>')
    expect(html).toContain('href="/compare.csv?fw=express&amp;fw=nestjs&amp;metric=downloads&amp;range=90d&amp;view=absolute&amp;smooth=none"')
  })

  it('a bare /compare starts from defaults', async () => {
    const res = await app().request('/compare')
    expect(res.status).toBe(200)
    expect(seriesOf(await res.text()).datasets.length).toBeGreaterThan(0)
  })

  it('the fragment is the chart alone and pushes the page URL', async () => {
    const res = await app().request('/compare/chart?fw=nestjs,express&range=30d')
    expect(res.status).toBe(200)
    expect(res.headers.get('hx-push-url')).toBe('/compare?fw=nestjs&fw=express&metric=downloads&range=30d&view=absolute&smooth=none')
    const html = await res.text()
    expect(html.startsWith('<section id="compare-chart"')).toBe(true)
    expect(html).not.toContain('<form')
    expect(seriesOf(html).labels).toHaveLength(30)
  })

  it('indexed starts at 100; share sums to 100 per registry; log keeps positive values', async () => {
    const indexed = seriesOf(await (await app().request('/compare/chart?fw=express&fw=nestjs&range=30d&view=indexed')).text())
    for (const d of indexed.datasets) expect(d.data[0]).toBe(100)
    // Both grow 0.15 % a day: 29 days later the index is 100 × 1.0015^29.
    expect(indexed.datasets[0]!.data.at(-1)).toBeCloseTo(100 * 1.0015 ** 29, 1)
    const share = seriesOf(await (await app().request('/compare/chart?fw=express&fw=nestjs&range=30d&view=share')).text())
    share.labels.forEach((_, i) => expect(share.datasets[0]!.data[i]! + share.datasets[1]!.data[i]!).toBeCloseTo(100, 1))
    const log = await (await app().request('/compare/chart?fw=express&range=30d&view=log')).text()
    expect(log).toContain('data-scale="log"')
  })

  it('smoothing drops the points before the first full window', async () => {
    const raw = seriesOf(await (await app().request('/compare/chart?fw=express&range=90d')).text())
    const smooth = seriesOf(await (await app().request('/compare/chart?fw=express&range=90d&smooth=28d')).text())
    expect(smooth.labels).toHaveLength(90 - 27)
    expect(smooth.labels.at(-1)).toBe(LAST_DAY)
    let sum = 0
    for (let i = 0; i < 28; i++) sum += downloadsOn('express', addDays(LAST_DAY, -i))
    expect(smooth.datasets[0]!.data.at(-1)).toBeCloseTo(sum / 28, 1)
    expect(raw.labels).toHaveLength(90)
  })

  it('never sums registries: each line names its own, and share is within its registry', async () => {
    await seedLongHistory()
    const res = await app().request('/compare/chart?fw=express&fw=flask&range=30d&view=share')
    const raw = await res.text()
    const html = decode(raw)
    const data = seriesOf(raw)
    // Flask's share needs Django's and FastAPI's PyPI downloads too: none are stored.
    expect(data.datasets.map((d) => d.label)).toEqual(['Express · express (npm)'])
    data.labels.forEach((day, i) => {
      const share = (100 * downloadsOn('express', day)) / (downloadsOn('express', day) + downloadsOn('@nestjs/core', day))
      expect(data.datasets[0]!.data[i]).toBeCloseTo(share, 1)
    })
    expect(html).toContain('Share among the 2 tracked frameworks on npm (Express and NestJS), whichever of them are shown')
    expect(html).toContain('Share among the 3 tracked frameworks on PyPI (Django, FastAPI and Flask)')
    expect(html).toContain('Django and FastAPI have no figures stored in this range')
  })

  it('no series ships over 1,000 points: 10 years of days become weeks', async () => {
    await seedLongHistory()
    for (const range of ['3y', 'all']) {
      const res = await app().request(`/compare.json?fw=express&fw=flask&metric=stars&range=${range}`)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { bucket: string; series: { points: unknown[]; source: string; fetched_at: string }[] }
      expect(body.bucket).toBe('week')
      expect(body.series).toHaveLength(2)
      for (const s of body.series) {
        expect(s.points.length).toBeLessThanOrEqual(1000)
        expect(s.points.length).toBeGreaterThan(range === 'all' ? 500 : 150)
        expect(s.source).toBe('github')
        expect(s.fetched_at).toBe(NOW.toISOString())
      }
    }
    const html = await (await app().request('/compare?fw=express&fw=flask&metric=stars&range=all')).text()
    for (const d of seriesOf(html).datasets) expect(d.data.length).toBeLessThanOrEqual(1000)
  })

  it('CSV has a header, source and fetched time on every row', async () => {
    const res = await app().request('/compare.csv?fw=express&fw=nestjs&range=30d')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toContain('attachment')
    const lines = (await res.text()).trimEnd().split('\r\n')
    expect(lines[0]).toBe('framework,source,package,metric,view,smoothing,bucket,day,value,fetched_at')
    expect(lines).toHaveLength(1 + 60)
    expect(lines).toContain(`express,npm,express,downloads,absolute,none,day,${LAST_DAY},${downloadsOn('express', LAST_DAY)},${NOW.toISOString()}`)
  })

  it('an unchanged answer costs a 304', async () => {
    const first = await app().request('/compare.json?fw=express')
    const etag = first.headers.get('etag')!
    expect((await app().request('/compare.json?fw=express', { headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  it('says why a chart is empty', async () => {
    const html = decode(await (await app().request('/compare?fw=express&metric=stars')).text())
    expect(html).toContain('No GitHub stars (total) stored for the chosen frameworks')
    expect(html).toContain('Nothing stored yet for Express: see the status page for their last sync.')
    expect(html).not.toContain('Maven Central')
    const none = await (await app().request('/compare/chart?fw=')).text()
    expect(none).toContain('Choose at least one framework')
  })

  it('names Maven Central only for downloads of a framework on no other registry', async () => {
    const chart = async (q: string) => decode(await (await app().request(`/compare/chart?${q}`)).text())
    // Releases and stars: Maven Central lists Spring Boot's releases, and GitHub its stars.
    for (const metric of ['releases', 'stars']) {
      const html = await chart(`fw=spring-boot&fw=django&metric=${metric}`)
      expect(html).toContain('Nothing stored yet for Spring Boot and Django: see the status page for their last sync.')
      expect(html).not.toContain('Maven Central')
    }
    // Downloads of Django (PyPI, not synced here): nothing stored yet, no word of Maven.
    const django = await chart('fw=django&metric=downloads')
    expect(django).toContain('Nothing stored yet for Django: see the status page for their last sync.')
    expect(django).not.toContain('Maven Central')
    const both = await chart('fw=spring-boot&fw=django&metric=downloads')
    expect(both).toContain('Maven Central publishes no download counts for Spring Boot.')
    expect(both).toContain('Nothing stored yet for Django: see the status page for their last sync.')
    // Beside a drawn line, the note says the same.
    const notes = ((await (await app().request('/compare.json?fw=express&fw=spring-boot&fw=flask')).json()) as { notes: string[] }).notes.join(' ')
    expect(notes).toContain('No downloads for Spring Boot and Flask. Maven Central publishes no download counts for Spring Boot. Nothing stored yet for Flask: see the status page for their last sync.')
    const stars = ((await (await app().request('/compare.json?fw=express&fw=spring-boot&metric=stars')).json()) as { notes: string[] }).notes.join(' ')
    expect(stars).not.toContain('Maven Central')
  })

  it('the form sent with every framework unticked shows none and asks for one; a bare /compare keeps the defaults', async () => {
    const ticked = (html: string) => [...html.matchAll(/<input type="checkbox" name="fw" value="([^"]+)" checked=""/g)].map((m) => m[1])
    const bare = await (await app().request('/compare')).text()
    expect(ticked(bare)).toEqual(['django', 'express'])
    expect(bare).toContain('<input type="hidden" name="submitted" value="1"/>')
    // What the form sends with no box ticked: no fw at all, and its hidden field.
    const res = await app().request('/compare?submitted=1&metric=stars&range=90d&view=absolute&smooth=none')
    expect(res.status).toBe(200)
    const html = decode(await res.text())
    expect(ticked(html)).toEqual([])
    expect(html).toContain('Choose at least one framework')
    expect(html).not.toContain('<canvas')
    expect(html).not.toContain('for the chosen frameworks')
    // Its URL reads back as the same state: bookmarkable, and the poll asks for it.
    const fragment = await app().request('/compare/chart?submitted=1&metric=stars&range=90d')
    expect(fragment.headers.get('hx-push-url')).toBe('/compare?submitted=1&metric=stars&range=90d&view=absolute&smooth=none')
    expect(html).toContain('hx-get="/live/compare?submitted=1&metric=stars&range=90d&view=absolute&smooth=none"')
    expect(await (await app().request('/live/compare?submitted=1&metric=stars&range=90d&view=absolute&smooth=none')).text()).toContain('Choose at least one framework')
    // Ticked boxes win over the hidden field; the pushed URL is the usual one.
    const one = await app().request('/compare/chart?submitted=1&fw=express')
    expect(one.headers.get('hx-push-url')).toBe('/compare?fw=express&metric=downloads&range=1y&view=absolute&smooth=none')
    expect(seriesOf(await one.text()).datasets).toHaveLength(1)
    expect((await app().request('/compare?submitted=yes')).status).toBe(400)
  })

  it.each([
    ['/compare?fw=nosuch', 'fw: unknown framework "nosuch"'],
    ['/compare?fw=express,%3Cscript%3E', 'fw: unknown framework'],
    ['/compare?metric=karma', 'metric: must be one of downloads, stars'],
    ['/compare?metric=downloads&metric=stars', 'metric: must be one of'],
    ['/compare?range=10y', 'range: must be one of 30d, 90d, 1y, 3y, all'],
    ['/compare?range=-30d', 'range: must be one of'],
    ['/compare?view=pie', 'view: must be one of absolute, log, indexed, share'],
    ['/compare?smooth=365d', 'smooth: must be one of none, 7d, 28d'],
    [`/compare?${Array.from({ length: 300 }, (_, i) => `fw=f${i}`).join('&')}`, 'fw: at most 20 frameworks'],
    ['/compare/chart?range=0', 'range: must be one of'],
    ['/compare.csv?fw=nosuch', 'fw: unknown framework'],
    ['/compare.json?view=x', 'view: must be one of'],
    ['/compare?submitted=0', 'submitted: must be 1'],
  ])('%s → 400 naming the parameter', async (url, message) => {
    const res = await app().request(url)
    expect(res.status).toBe(400)
    const body = await res.text()
    expect(decode(body)).toContain(message)
    // Whatever was sent comes back escaped.
    expect(body).not.toContain('<script>')
  })

  it('hundreds of the same framework are one', async () => {
    const res = await app().request(`/compare/chart?${Array.from({ length: 500 }, () => 'fw=express').join('&')}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('hx-push-url')).toContain('/compare?fw=express&metric=')
  })
})

describe('/compare star growth', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
  })

  it('charts stars given per day, not their running total, and the badge shows them per week', async () => {
    const ids = await frameworkIds(t.db)
    const rows = Array.from({ length: 60 }, (_, i) => ({ framework_id: ids.get('flask')!, source: 'github', subject: 'pallets/flask', metric: 'stars_retained', day: addDays(LAST_DAY, -i), value: 10 + (i % 3), fetched_at: NOW }))
    const snapshot = { ...rows[0]!, metric: 'stars', value: 69_000 }
    await upsertObservations(t.db, [...rows, snapshot])
    await bumpDataVersion(t.db)
    const growth = (await (await app().request('/compare.json?fw=flask&metric=star_growth&range=30d')).json()) as { series: { points: { day: string; value: number }[] }[] }
    expect(growth.series[0]!.points).toHaveLength(30)
    expect(growth.series[0]!.points.at(-1)).toEqual({ day: LAST_DAY, value: 10 })
    const total = (await (await app().request('/compare.json?fw=flask&metric=stars_retained&range=30d')).json()) as typeof growth
    // The running total ends at today's star count and counts back: the first day shown is that
    // count less the gains of the 29 days after it.
    expect(total.series[0]!.points.at(-1)!.value).toBe(69_000)
    expect(total.series[0]!.points[0]!.value).toBe(69_000 - rows.slice(0, 29).reduce((a, r) => a + r.value, 0))
    const badge = await (await app().request('/frameworks/flask/badge.svg?metric=star_growth&range=30d')).text()
    // The last 7 days: i = 0..6 → 10, 11, 12, 10, 11, 12, 10.
    expect(badge).toContain('>76/week</text>')
  })
})

describe('/compare share of the tracked frameworks', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
  })

  /** 60 days of PyPI downloads: Django 100,000, FastAPI 300,000, Flask 600,000 a day; RubyGems for Rails. */
  async function seedRegistries() {
    const ids = await frameworkIds(t.db)
    const daily = { django: 100_000, fastapi: 300_000, flask: 600_000 }
    const rows = Object.entries(daily).flatMap(([slug, value]) =>
      Array.from({ length: 60 }, (_, i) => ({ framework_id: ids.get(slug)!, source: 'pypi', subject: slug, metric: 'downloads', day: addDays(LAST_DAY, -i), value, fetched_at: NOW })),
    )
    rows.push(...Array.from({ length: 60 }, (_, i) => ({ framework_id: ids.get('rails')!, source: 'rubygems', subject: 'rails', metric: 'downloads', day: addDays(LAST_DAY, -i), value: 50_000, fetched_at: NOW })))
    await upsertObservations(t.db, rows)
    await bumpDataVersion(t.db)
  }
  const json = async (url: string) => (await (await app().request(url)).json()) as { series: { framework: string; points: { day: string; value: number }[] }[]; notes: string[] }

  it('a framework’s share does not depend on which others are ticked', async () => {
    await seedRegistries()
    const alone = await json('/compare.json?fw=fastapi&range=30d&view=share')
    const withFlask = await json('/compare.json?fw=fastapi&fw=flask&range=30d&view=share')
    const withDjango = await json('/compare.json?fw=django&fw=fastapi&range=30d&view=share')
    for (const result of [alone, withFlask, withDjango]) {
      const fastapi = result.series.find((s) => s.framework === 'fastapi')!
      expect(fastapi.points).toHaveLength(30)
      expect(fastapi.points.every((p) => p.value === 30)).toBe(true)
    }
    expect(withFlask.series.find((s) => s.framework === 'flask')!.points[0]!.value).toBe(60)
    expect(alone.notes.join(' ')).toContain('Share among the 3 tracked frameworks on PyPI (Django, FastAPI and Flask), whichever of them are shown: registries publish no ecosystem-wide total we can divide by.')
  })

  it('a day on which a tracked framework has no figure is left out, not shared among the rest', async () => {
    await seedRegistries()
    const django = (await frameworkIds(t.db)).get('django')!
    await t.db.deleteFrom('observations').where('framework_id', '=', django).where('day', '=', addDays(LAST_DAY, -3)).execute()
    await bumpDataVersion(t.db)
    const result = await json('/compare.json?fw=fastapi&range=30d&view=share')
    expect(result.series[0]!.points).toHaveLength(29)
    expect(result.series[0]!.points.map((p) => p.day)).not.toContain(addDays(LAST_DAY, -3))
    expect(result.series[0]!.points.every((p) => p.value === 30)).toBe(true)
    // The absolute view still has the day.
    expect((await json('/compare.json?fw=fastapi&range=30d')).series[0]!.points).toHaveLength(30)
  })

  it('the only tracked framework on its registry gets no flat 100 % line, and the page says why', async () => {
    await seedRegistries()
    const html = decode(await (await app().request('/compare/chart?fw=rails&range=30d&view=share')).text())
    expect(html).not.toContain('<canvas')
    expect(html).toContain('Nothing to draw in this view')
    expect(html).toContain('Ruby on Rails is the only tracked framework on RubyGems: its share would be 100 % every time, so no line is drawn.')
    const mixed = await json('/compare.json?fw=rails&fw=flask&range=30d&view=share')
    expect(mixed.series.map((s) => s.framework)).toEqual(['flask'])
    expect(mixed.notes.join(' ')).toContain('Ruby on Rails is the only tracked framework on RubyGems')
  })

  it('GitHub figures are shared among all ten tracked frameworks', async () => {
    const ids = await frameworkIds(t.db)
    const slugs = [...t.catalog.map((f) => f.slug)]
    const seed = async (which: string[]) => {
      await upsertObservations(
        t.db,
        which.flatMap((slug, n) =>
          Array.from({ length: 10 }, (_, i) => ({ framework_id: ids.get(slug)!, source: 'github', subject: `${slug}/${slug}`, metric: 'stars', day: addDays(LAST_DAY, -i), value: (n + 1) * 1000, fetched_at: NOW })),
        ),
      )
      await bumpDataVersion(t.db)
    }
    await seed(slugs.slice(0, 9))
    const partial = await json('/compare.json?fw=flask&metric=stars&range=30d&view=share')
    expect(partial.series).toEqual([])
    expect(partial.notes.join(' ')).toContain(`${t.catalog[9]!.name} has no figures stored in this range`)

    await seed(slugs)
    const total = (55 * 1000) / 100
    const flaskIndex = slugs.indexOf('flask')
    for (const fw of ['fw=flask', 'fw=flask&fw=express', 'fw=django&fw=flask&fw=phoenix']) {
      const result = await json(`/compare.json?${fw}&metric=stars&range=30d&view=share`)
      const flask = result.series.find((s) => s.framework === 'flask')!
      expect(flask.points).toHaveLength(10)
      expect(flask.points[0]!.value).toBeCloseTo(((flaskIndex + 1) * 1000) / total, 2)
      expect(result.notes.join(' ')).toContain('Share among the 10 tracked frameworks on GitHub')
    }
  })
})
