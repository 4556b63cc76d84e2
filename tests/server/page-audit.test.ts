import { load, type CheerioAPI } from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toDay } from '../../src/days.js'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import { testApp } from '../helpers/app-server.js'
import { createdAt, FAKE_REPOS, starsOn, totalStars } from '../helpers/github-upstream.js'
import { downloadsOn } from '../helpers/npm-upstream.js'
import { allCollected, seedAllSources, type AllUpstreams } from '../helpers/seed-sources.js'
import { useTestDatabase } from '../helpers/test-db.js'

// The page audit (issue 11): one first sync against every fake upstream, GitHub unauthenticated
// with its 60 requests, so the star histories stop part-way, newest weeks first, as they do for a
// new user without a token. Then every page and fragment is read as a visitor's browser gets it.
const NOW = new Date('2026-11-25T12:00:00Z')
const TODAY = toDay(NOW)
const t = useTestDatabase({ once: true })

// Elements that show a figure; each must sit beside a source note with its fetch time.
const FIGURES = '.figure-value, canvas[data-series], svg.sparkline, td.num, .cadence strong, .chart-single strong, .claim-figures dd'
// Ancestors too wide to count as "beside": a note somewhere on the page is not the figure's.
const TOO_WIDE = new Set(['main', 'body', 'html'])

interface Dataset {
  label: string
  data: Array<number | null>
}

let up: AllUpstreams
let app: ReturnType<typeof testApp>

beforeAll(async () => {
  up = await startAllUpstreams(NOW)
  up.github.reset(60)
  const results = await seedAllSources(t, { ...up, env: { ...up.env, GITHUB_TOKEN: '' } }, NOW)
  // GitHub's budget runs out part-way; nothing else may fail.
  expect(results.filter((r) => r.status === 'failed' && r.source !== 'github'), JSON.stringify(results)).toEqual([])
  app = testApp(t, { collected: allCollected(up) })
}, 120_000)
afterAll(() => up?.stop())

async function page(path: string): Promise<CheerioAPI> {
  const res = await app.request(path)
  expect(res.status, path).toBe(200)
  return load(await res.text())
}

/** Every page and fragment a visitor's browser asks for, once per framework where it has one. */
function paths(): string[] {
  const slugs = t.catalog.map((f) => f.slug)
  return [
    '/',
    '/live/overview',
    ...slugs.flatMap((s) => [`/frameworks/${s}`, `/frameworks/${s}?range=all`, `/frameworks/${s}/chart?range=1y`, `/live/frameworks/${s}`]),
    '/compare',
    `/compare?fw=${slugs.join(',')}&metric=stars&range=90d`,
    `/compare?fw=${slugs.join(',')}&metric=stars_retained&range=1y`,
    `/compare/chart?fw=${slugs.join(',')}&metric=downloads&range=90d&view=share`,
    '/benchmarks',
    '/benchmarks?variants=all',
    '/live/benchmarks?variants=one',
  ]
}

type Node = Parameters<CheerioAPI>[0]

/**
 * Where a figure's source note must be: the nearest ancestor that holds one, if not the whole
 * page. Memoized per ancestor: a data table's thousand cells share theirs.
 */
function notes($: CheerioAPI) {
  const seen = new Map<Node, string | undefined>()
  const noteAt = (node: Node): string | undefined => {
    if (seen.has(node)) return seen.get(node)
    const el = $(node)
    const tag = el.prop('tagName')?.toLowerCase()
    const note = el.children('.source-note').add(el.find('.source-note')).first()
    const parent = el.parent()[0]
    const found = !tag || TOO_WIDE.has(tag) ? undefined : note.length > 0 ? (note.find('time[datetime]').attr('datetime') ?? '') : parent ? noteAt(parent) : undefined
    seen.set(node, found)
    return found
  }
  return noteAt
}

/** Stars given before `day`. */
function given(repo: (typeof FAKE_REPOS)[number], day: string): number {
  let sum = 0
  for (let d = createdAt(repo).slice(0, 10); d < day; d = addDays(d, 1)) sum += starsOn(repo, d)
  return sum
}

function lineDatasets($: CheerioAPI): Array<{ chart: string; labels: string[]; datasets: Dataset[] }> {
  return $('canvas[data-series]')
    .toArray()
    .filter((c) => $(c).attr('data-chart') !== 'bar')
    .map((c) => ({ chart: $(c).attr('aria-label')!, ...(JSON.parse($(c).attr('data-series')!) as { labels: string[]; datasets: Dataset[] }) }))
}

describe('every page after a first sync', () => {
  it('shows each figure beside its source and fetch time', async () => {
    const unsourced: string[] = []
    for (const path of paths()) {
      const $ = await page(path)
      const noteAt = notes($)
      for (const el of $(FIGURES).toArray()) {
        const at = noteAt(el)
        if (!at || Number.isNaN(Date.parse(at))) unsourced.push(`${path}: ${$(el).text().trim().slice(0, 40) || $(el).attr('aria-label')}`)
      }
    }
    expect(unsourced).toEqual([])
  })

  it('draws no one-point line and no chart over 1,000 points a series', async () => {
    const wrong: string[] = []
    for (const path of paths()) {
      for (const { chart, labels, datasets } of lineDatasets(await page(path))) {
        if (labels.length > 1000) wrong.push(`${path} ${chart}: ${labels.length} points`)
        if ([...labels].sort().join() !== labels.join()) wrong.push(`${path} ${chart}: days out of order`)
        for (const d of datasets) {
          const points = d.data.filter((v) => v !== null)
          if (points.length < 2) wrong.push(`${path} ${chart} / ${d.label}: ${points.length} point(s) drawn as a line`)
          if (points.some((v) => !Number.isFinite(v))) wrong.push(`${path} ${chart} / ${d.label}: a value that is not a number`)
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it('charts npm downloads as the registry gave them, day by day', async () => {
    const [chart] = lineDatasets(await page('/frameworks/express'))
    const express = chart!.datasets.find((d) => d.label === 'express (npm)')!
    expect(chart!.labels.at(-1)).toBe(addDays(TODAY, -1))
    expect(express.data).toEqual(chart!.labels.map((day) => downloadsOn('express', day)))
  })

  it('ends each retained-star line at the star count, each day the stars given up to it', async () => {
    let partial = 0
    for (const f of t.catalog) {
      const repo = FAKE_REPOS.find((r) => r.fullName === f.github)!
      const res = await app.request(`/api/frameworks/${f.slug}/series?metric=stars_retained&range=all`)
      const body = (await res.json()) as { series: Array<{ points: Array<{ day: string; value: number }> }>; history?: { from: string; complete: boolean } }
      if (body.series.length === 0) continue
      const points = body.series[0]!.points
      expect(Math.abs(points.at(-1)!.value - totalStars(repo)) / totalStars(repo), f.slug).toBeLessThanOrEqual(0.01)
      // The stars given up to each day, counted from the repository's first.
      const givenUpTo = new Map<string, number>()
      let sum = given(repo, points[0]!.day)
      for (let d = points[0]!.day; d <= TODAY; d = addDays(d, 1)) givenUpTo.set(d, (sum += starsOn(repo, d)))
      for (const p of points) expect(p.value, `${f.slug} ${p.day}`).toBeGreaterThanOrEqual(givenUpTo.get(p.day)!)
      if (body.history && !body.history.complete) {
        partial++
        const caption = (await page(`/frameworks/${f.slug}?range=all`))('.chart-caption').text()
        expect(caption).toContain(`The stored history reaches back to ${body.history.from} only`)
      }
    }
    // The 60 requests cannot fetch every history: at least one stops part-way (django's 650 weeks).
    expect(partial).toBeGreaterThan(0)
  })
})
