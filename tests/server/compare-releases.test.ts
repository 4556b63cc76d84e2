import { beforeEach, describe, expect, it } from 'vitest'
import { addQuarters, quarterLabel, quarterOf } from '../../src/compare/quarters.js'
import { addDays, toDay } from '../../src/days.js'
import { frameworkIds } from '../../src/db/queries/frameworks.js'
import type { NewRelease } from '../../src/db/schema.js'
import { bumpDataVersion, upsertReleases } from '../../src/db/writes.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const FETCHED = new Date('2026-01-02T03:04:05Z')

function app() {
  return testApp(t)
}

// Quarters relative to the clock, as the page judges which quarter is not over yet.
const CURRENT = quarterOf(toDay(new Date()))
const Q = (n: number) => addQuarters(CURRENT, -n)
const at = (quarter: string, days: number) => `${addDays(quarter, days)}T12:00:00Z`

type Json = { bucket: string; smooth: string; series: { framework: string; source: string; subject: string; points: { day: string; value: number }[] }[]; notes: string[] }
const json = async (url: string) => {
  const res = await app().request(url)
  expect(res.status, url).toBe(200)
  return (await res.json()) as Json
}
const pointsOf = (result: Json, slug: string) => result.series.find((s) => s.framework === slug)?.points.map((p) => [p.day, p.value])

describe('/compare stable releases per quarter', () => {
  let ids: Map<string, number>
  const release = (slug: string, source: string, version: string, published_at: string, prerelease = false): NewRelease => ({
    framework_id: ids.get(slug)!,
    source,
    subject: source === 'github' ? `${slug}/${slug}` : slug,
    version,
    published_at,
    prerelease,
    url: null,
    title: null,
    notes_html: null,
    fetched_at: FETCHED,
  })

  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    ids = await frameworkIds(t.db)
    await upsertReleases(t.db, [
      release('express', 'npm', '4.0.0', at(Q(8), 40)),
      release('express', 'github', 'v4.9.0', at(Q(3), 5)),
      // Published on npm on the last day of a quarter, tagged on GitHub the next day: one release, in the earlier quarter.
      release('express', 'npm', '4.8.0', `${addDays(Q(1), -1)}T22:00:00Z`),
      release('express', 'github', 'v4.8.0', at(Q(1), 0)),
      // Listed by both sources: counted once.
      release('express', 'npm', '5.0.0', at(Q(1), 10)),
      release('express', 'github', 'v5.0.0', at(Q(1), 9)),
      release('express', 'npm', '5.0.1', at(Q(1), 20)),
      release('express', 'npm', '5.1.0-beta.1', at(Q(1), 30), true),
      release('express', 'github', 'v5.1.0-beta.1', at(Q(1), 30), true),
      // The quarter that is not over.
      release('express', 'npm', '5.2.0', `${CURRENT}T00:00:00Z`),
      release('nestjs', 'npm', '10.0.0', at(Q(2), 3)),
    ])
    await bumpDataVersion(t.db)
  })

  it('counts each version once across sources, leaves prereleases and the current quarter out', async () => {
    const result = await json('/compare.json?fw=express&fw=nestjs&metric=releases&range=all')
    expect(result.bucket).toBe('quarter')
    expect(pointsOf(result, 'express')).toEqual([
      [Q(8), 1],
      [Q(7), 0],
      [Q(6), 0],
      [Q(5), 0],
      [Q(4), 0],
      [Q(3), 1],
      [Q(2), 1],
      [Q(1), 2],
    ])
    // A framework's line starts at its first release.
    expect(pointsOf(result, 'nestjs')).toEqual([
      [Q(2), 1],
      [Q(1), 0],
    ])
    const express = result.series.find((s) => s.framework === 'express')!
    expect(express.source).toBe('github + npm')
    expect(express.subject).toBe('express/express + express')
    expect(result.notes.join(' ')).toContain(`${quarterLabel(CURRENT)} is not over: it is left out rather than drawn as a dip (so far: Express 1, NestJS 0).`)
    expect(result.notes.join(' ')).toContain('("v5.1.0" and "5.1.0") counts once')
  })

  it('short ranges show the last four complete quarters and say so', async () => {
    for (const range of ['30d', '90d']) {
      const result = await json(`/compare.json?fw=express&metric=releases&range=${range}`)
      expect(pointsOf(result, 'express')!.map(([day]) => day)).toEqual([Q(4), Q(3), Q(2), Q(1)])
      expect(result.notes.join(' ')).toContain('a range shorter than four quarters shows the last four complete quarters')
    }
  })

  it('the Smoothing buttons are disabled for quarterly counts, saying why; other metrics keep them', async () => {
    const smoothing = (html: string) => html.slice(html.lastIndexOf('<fieldset', html.indexOf('<legend>Smoothing</legend>')), html.indexOf('</fieldset>', html.indexOf('<legend>Smoothing</legend>')))
    const releases = smoothing(await (await app().request('/compare?fw=express&metric=releases&range=all')).text())
    expect(releases).toMatch(/^<fieldset class="control segmented" disabled="" aria-disabled="true" aria-describedby="smooth-off" data-off-for="releases">/)
    expect(releases).toContain('<small id="smooth-off" class="muted">Does not apply to quarterly counts: each point is already a quarter’s total.</small>')
    const downloads = smoothing(await (await app().request('/compare?fw=express&metric=downloads')).text())
    expect(downloads).toMatch(/^<fieldset class="control segmented" aria-disabled="false" aria-describedby="smooth-off" data-off-for="releases">/)
    expect(downloads).toContain('<small id="smooth-off" class="muted" hidden="">')
    // Without JavaScript a disabled group is not sent: the form's next request has no smooth, which is none.
    expect((await json('/compare.json?fw=express&metric=downloads&range=30d')).smooth).toBe('none')
  })

  it('the page labels quarters, ignores smoothing with a note, and draws absolute, log and indexed views', async () => {
    const raw = await (await app().request('/compare?fw=express&metric=releases&range=all&smooth=28d')).text()
    const decode = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')
    const html = decode(raw)
    expect(html).toContain('<h2 id="compare-chart-title">Stable releases per quarter: absolute</h2>')
    expect(html).toContain('stable releases per calendar quarter (UTC)')
    expect(html).toContain('Smoothing does not apply to quarterly counts')
    expect(html).toContain('<option value="releases" selected="">Stable releases per quarter</option>')
    // Both sources named for readers in the legend and the source note.
    expect(html).toContain('(GitHub + npm)')
    expect(html).not.toContain('(github + npm)')
    const data = JSON.parse(decode(raw.match(/data-series="([^"]+)"/)![1]!)) as { labels: string[]; datasets: { data: number[] }[] }
    expect(data.labels.at(-1)).toBe(quarterLabel(Q(1)))
    expect(data.datasets[0]!.data.at(-1)).toBe(2)
    expect(html).toContain(`<td>${quarterLabel(Q(1))}</td>`)
    // Smoothing asked for, none applied: the data says so.
    expect((await json('/compare.json?fw=express&metric=releases&range=all&smooth=28d')).smooth).toBe('none')

    const log = await json('/compare.json?fw=express&metric=releases&range=all&view=log')
    expect(pointsOf(log, 'express')).toEqual([
      [Q(8), 1],
      [Q(3), 1],
      [Q(2), 1],
      [Q(1), 2],
    ])
    const indexed = await json('/compare.json?fw=express&metric=releases&range=all&view=indexed')
    expect(pointsOf(indexed, 'express')!.at(-1)).toEqual([Q(1), 200])
  })

  it('share is of all ten tracked frameworks’ releases that quarter, and needs all ten', async () => {
    const missing = await json('/compare.json?fw=express&metric=releases&range=1y&view=share')
    expect(missing.series).toEqual([])
    expect(missing.notes.join(' ')).toContain('have no figures stored in this range')

    const others = t.catalog.map((f) => f.slug).filter((s) => s !== 'express' && s !== 'nestjs')
    await upsertReleases(t.db, others.map((slug) => release(slug, 'github', 'v1.0.0', at(Q(1), 1))))
    await bumpDataVersion(t.db)
    for (const fw of ['fw=express', 'fw=express&fw=nestjs', 'fw=nestjs&fw=express&fw=flask']) {
      const result = await json(`/compare.json?${fw}&metric=releases&range=1y&view=share`)
      // Q(1): Express 2 of 2 + 0 (NestJS) + 8 × 1 = 10; Q(2): Express 1 of 2; Q(3): Express 1 of 1;
      // Q(4): nobody released, so there is no share to draw.
      expect(pointsOf(result, 'express')).toEqual([
        [Q(3), 100],
        [Q(2), 50],
        [Q(1), 20],
      ])
      expect(result.notes.join(' ')).toContain('Share of the stable releases of all 10 tracked frameworks that quarter')
    }
  })

  it('CSV marks the quarter bucket, and bad parameters are 400s naming them', async () => {
    const res = await app().request('/compare.csv?fw=express&metric=releases&range=1y&smooth=7d')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="framework-pulse-releases-1y.csv"')
    const lines = (await res.text()).trimEnd().split('\r\n')
    expect(lines[0]).toBe('framework,source,package,metric,view,smoothing,bucket,day,value,fetched_at')
    expect(lines).toContain(`express,github + npm,express/express + express,releases,absolute,none,quarter,${Q(1)},2,${FETCHED.toISOString()}`)
    for (const [url, message] of [
      ['/compare?metric=release', 'metric: must be one of downloads, stars, stars_retained, star_growth, releases, forks, open_issues, watchers'],
      ['/compare.json?metric=releases&range=5y', 'range: must be one of 30d, 90d, 1y, 3y, all'],
      ['/compare.csv?metric=releases&view=bars', 'view: must be one of absolute, log, indexed, share'],
    ] as const) {
      const bad = await app().request(url)
      expect(bad.status, url).toBe(400)
      expect(await bad.text()).toContain(message)
    }
    // Badges keep to the daily metrics.
    expect((await app().request('/frameworks/express/badge.svg?metric=releases')).status).toBe(400)
  })
})
