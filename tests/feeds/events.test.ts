import { describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import type { DailyValue, EventInputs, FrameworkName, ReleaseFact } from '../../src/db/queries/events.js'
import { deriveEvents, toEventRow } from '../../src/jobs/events.js'
import { trimNotes } from '../../src/jobs/events/event-html.js'
import { guideEvents } from '../../src/jobs/events/guide.js'
import { milestonesBetween, starEvents } from '../../src/jobs/events/milestones.js'
import { majorOf, normalizeVersion, releaseEvents, withNotes } from '../../src/jobs/events/releases.js'
import { SETTLE_DAYS, trendCrossings, trendEvents } from '../../src/jobs/events/trends.js'

// Pure derivation: stored facts in, event drafts out. No database, no clock.
const EXPRESS: FrameworkName = { id: 1, slug: 'express', name: 'Express' }
const frameworks = new Map([[1, EXPRESS]])

function release(version: string, published: string, extra: Partial<ReleaseFact> = {}): ReleaseFact {
  return {
    framework_id: 1,
    source: 'npm',
    subject: 'express',
    version,
    published_at: new Date(published),
    prerelease: /-/.test(version),
    url: `https://www.npmjs.com/package/express/v/${version}`,
    title: null,
    notes_html: null,
    ...extra,
  }
}

/** `days` daily values from 2026-01-01, value(i) for day i. */
function series(days: number, value: (i: number) => number, subject = 'express'): DailyValue[] {
  return Array.from({ length: days }, (_, i) => ({ framework_id: 1, source: 'npm', subject, day: addDays('2026-01-01', i), value: value(i) }))
}

/**
 * A series whose 28-day mean moves by the given percentages of a flat 10,000 a day, one per day
 * from day 56, with the prior window still flat: mean(e) − mean(e − 1) = (v[e] − v[e − 28]) / 28.
 */
function withChanges(pcts: number[]): DailyValue[] {
  const base = 10_000
  const values = Array.from({ length: 56 }, () => base)
  pcts.forEach((pct, k) => values.push(base + 28 * (pct - (pcts[k - 1] ?? 0)) * (base / 100)))
  for (let i = 0; i < SETTLE_DAYS; i++) values.push(base)
  return series(values.length, (i) => values[i]!)
}

describe('star milestones', () => {
  it('are 10k, 25k, 50k, 75k, 100k and then every 50k', () => {
    expect(milestonesBetween(0, 9_999)).toEqual([])
    expect(milestonesBetween(9_999, 10_000)).toEqual([10_000])
    expect(milestonesBetween(10_000, 10_500)).toEqual([])
    expect(milestonesBetween(9_000, 60_000)).toEqual([10_000, 25_000, 50_000])
    expect(milestonesBetween(99_000, 260_000)).toEqual([100_000, 150_000, 200_000, 250_000])
    expect(milestonesBetween(60_000, 40_000)).toEqual([])
  })

  it('count a crossing between two stored days, once, and never on the first value', () => {
    const stars = [49_990, 50_010, 49_995, 50_020, 74_000, 75_500].map((value, i) => ({
      framework_id: 1, source: 'github', subject: 'expressjs/express', day: addDays('2026-11-01', i), value,
    }))
    // A first value of 60k says nothing about when 10k, 25k or 50k were passed.
    expect(starEvents(frameworks, [{ ...stars[0]!, value: 60_000 }, { ...stars[1]!, value: 60_500 }])).toEqual([])

    const drafts = starEvents(frameworks, stars)
    expect(drafts.map((d) => [d.id, d.occurred_at.toISOString()])).toEqual([
      ['stars:express:expressjs/express:50000', '2026-11-02T00:00:00.000Z'],
      ['stars:express:expressjs/express:75000', '2026-11-06T00:00:00.000Z'],
    ])
    expect(drafts[0]).toMatchObject({
      kind: 'stars',
      framework_id: 1,
      title: 'Express passes 50,000 GitHub stars',
      summary: 'expressjs/express had 50,010 GitHub stars on 2026-11-02, up from 49,990 on 2026-11-01.',
      url: null,
      data: { milestone: 50_000, stars: 50_010, previous_stars: 49_990 },
    })
  })
})

describe('download trend changes', () => {
  // 60 flat days at 1,000, then 1,300 a day: the 28-day mean passes +20 % on the 19th raised day
  // (19 × 1.3 + 9) / 28 = 1.2036.
  const stepUp = (i: number) => (i < 60 ? 1000 : 1300)

  it('fire when the 28-day mean passes the threshold against the prior 28 days', () => {
    const crossings = trendCrossings(series(120, stepUp), 20)
    expect(crossings).toHaveLength(1)
    expect(crossings[0]).toMatchObject({ day: addDays('2026-01-01', 78), direction: 'up', priorMean: 1000 })
    expect(crossings[0]!.changePct).toBeCloseTo((19 * 1300 + 9 * 1000) / 28 / 10 - 100, 6)
    // A higher threshold is never reached by a 30 % step.
    expect(trendCrossings(series(120, stepUp), 31)).toEqual([])
  })

  it('fire down as well, and once per crossing however long the trend lasts', () => {
    const stepDown = (i: number) => (i < 60 ? 1000 : 600)
    const crossings = trendCrossings(series(200, stepDown), 20)
    expect(crossings.map((c) => c.direction)).toEqual(['down'])
  })

  it('need the mean to fall back within half the threshold before a new crossing counts', () => {
    // The change of the 28-day mean, day by day, against a flat prior window: up to +21 %, down to
    // +12 % and up again (still one trend), then down to +9 % (below half the threshold: over)
    // and up again (a new crossing).
    const path = [3, 6, 9, 12, 15, 18, 21, 18, 15, 12, 15, 18, 21, 18, 15, 12, 9, 12, 15, 18, 21]
    const crossings = trendCrossings(withChanges(path), 20)
    expect(crossings.map((c) => [c.day, c.direction, Math.round(c.changePct)])).toEqual([
      [addDays('2026-01-01', 56 + 6), 'up', 21],
      [addDays('2026-01-01', 56 + 20), 'up', 21],
    ])
    // Up 30 %, back to the old level: up, then down against the raised prior window.
    const upAndBack = (i: number) => (i < 60 || i >= 130 ? 1000 : 1300)
    expect(trendCrossings(series(260, upAndBack), 20).map((c) => c.direction)).toEqual(['up', 'down'])
  })

  it('judge only settled days, skip windows with a missing day, and start from the state found', () => {
    const full = series(120, stepUp)
    // The crossing day (index 78) is judged once the series reaches index 78 + SETTLE_DAYS.
    expect(trendCrossings(full.slice(0, 78 + SETTLE_DAYS), 20)).toEqual([])
    expect(trendCrossings(full.slice(0, 79 + SETTLE_DAYS), 20)).toHaveLength(1)
    // A day missing is tolerated (the mean of the days present); three are not judged at all.
    const without = (...days: number[]) => full.filter((p) => !days.map((d) => addDays('2026-01-01', d)).includes(p.day))
    expect(trendCrossings(without(40), 20).map((c) => c.day)).toEqual([addDays('2026-01-01', 78)])
    expect(trendCrossings(without(40, 41, 42), 20)).toEqual([])
    // Data that begins mid-trend is no change: the first judged day only sets the state.
    expect(trendCrossings(full.slice(30), 20)).toEqual([])
  })

  it('become events with the figures and a stable id per package and crossing', () => {
    const drafts = trendEvents(frameworks, series(120, stepUp), 20)
    expect(drafts).toHaveLength(1)
    expect(drafts[0]).toMatchObject({
      id: 'trend:express:npm:express:2026-03-20:up',
      kind: 'trend',
      occurred_at: new Date('2026-03-20T00:00:00Z'),
      title: 'Express: express downloads on npm up 20.4% (28-day mean)',
      data: { source: 'npm', subject: 'express', from: '2026-02-21', to: '2026-03-20', prior_from: '2026-01-24', prior_to: '2026-02-20', prior_mean: 1000, threshold_pct: 20 },
    })
    expect(drafts[0]!.summary).toBe(
      'express on npm averaged 1,204 downloads a day from 2026-02-21 to 2026-03-20, +20.4% against 1,000 a day from 2026-01-24 to 2026-02-20 (a trend change is ±20%).',
    )
    // Two packages of one framework each get their own events.
    const two = trendEvents(frameworks, [...series(120, stepUp), ...series(120, stepUp, 'express-alt')], 20)
    expect(two.map((d) => d.id)).toEqual(['trend:express:npm:express:2026-03-20:up', 'trend:express:npm:express-alt:2026-03-20:up'])
  })
})

describe('release events', () => {
  const releases = [
    release('5.0.0-beta.3', '2024-03-25T15:52:09Z'),
    release('5.0.0', '2024-09-10T04:39:28Z'),
    release('4.21.2', '2024-12-05T22:57:09Z'),
    release('5.1.0', '2025-03-31T14:38:04Z'),
    release('4.22.0', '2025-06-20T12:00:00Z'),
  ]

  it('mark prereleases, the first stable release of a new major, and plain releases', () => {
    const drafts = releaseEvents(frameworks, releases)
    expect(drafts.map((d) => [d.id, d.kind, d.title, d.occurred_at.toISOString()])).toEqual([
      ['release:express:5.0.0-beta.3', 'prerelease', 'Express 5.0.0-beta.3 (prerelease)', '2024-03-25T15:52:09.000Z'],
      ['release:express:5.0.0', 'major', 'Express 5.0.0: new major version', '2024-09-10T04:39:28.000Z'],
      ['release:express:4.21.2', 'release', 'Express 4.21.2', '2024-12-05T22:57:09.000Z'],
      ['release:express:5.1.0', 'release', 'Express 5.1.0', '2025-03-31T14:38:04.000Z'],
      ['release:express:4.22.0', 'release', 'Express 4.22.0', '2025-06-20T12:00:00.000Z'],
    ])
    expect(drafts[1]!.summary).toBe('Express 5.0.0, the first stable release of major version 5, was published on npm (express) on 2024-09-10.')
  })

  it('do not call a package\'s first major "new" without a lower one stored', () => {
    const drafts = releaseEvents(frameworks, [release('1.0.0', '2020-01-01T00:00:00Z'), release('1.1.0', '2020-02-01T00:00:00Z')])
    expect(drafts.map((d) => d.kind)).toEqual(['release', 'release'])
    expect(releaseEvents(frameworks, [release('0.9.0', '2019-01-01T00:00:00Z'), release('1.0.0', '2020-01-01T00:00:00Z')]).map((d) => d.kind)).toEqual(['release', 'major'])
  })

  it('merge one version published on several sources: earliest date, the notes\' source for the link', () => {
    const github = release('v5.1.0', '2025-03-31T15:00:00Z', {
      source: 'github', subject: 'expressjs/express', url: 'https://github.com/expressjs/express/releases/tag/v5.1.0', title: 'v5.1.0', notes_html: '<p>Notes.</p>',
    })
    const drafts = releaseEvents(frameworks, [release('5.1.0', '2025-03-31T14:38:04Z'), github])
    expect(drafts).toHaveLength(1)
    expect(drafts[0]).toMatchObject({
      id: 'release:express:5.1.0',
      occurred_at: new Date('2025-03-31T14:38:04Z'),
      url: 'https://github.com/expressjs/express/releases/tag/v5.1.0',
      summary: 'Express 5.1.0 was published on npm (express) and github (expressjs/express) on 2025-03-31.',
      // A title that only repeats the version is no name.
      content_html: '<p>Express 5.1.0 was published on npm (express) and github (expressjs/express) on 2025-03-31.</p><p>Notes.</p>',
    })
  })

  it('take name, notes and link from the richest row: notes, then a name of its own, then the earliest', () => {
    const npm = release('5.1.0', '2025-03-31T14:38:04Z')
    const tag = release('5.1.0', '2025-03-30T09:00:00Z', { source: 'github', subject: 'expressjs/express', url: 'https://github.com/expressjs/express/tree/v5.1.0' })
    const named = { ...tag, published_at: new Date('2025-04-01T08:00:00Z'), url: 'https://github.com/expressjs/express/releases/tag/v5.1.0', title: 'Express 5.1: v5 is latest' }
    // No name, no notes: the earliest row links, and each source's own day is given.
    expect(releaseEvents(frameworks, [npm, tag])[0]).toMatchObject({
      url: 'https://github.com/expressjs/express/tree/v5.1.0',
      summary: 'Express 5.1.0 was published on github (expressjs/express) on 2025-03-30 and npm (express) on 2025-03-31.',
      occurred_at: new Date('2025-03-30T09:00:00Z'),
    })
    const [withName] = releaseEvents(frameworks, [npm, named])
    expect(withName).toMatchObject({ url: named.url, occurred_at: npm.published_at })
    expect(withName!.content_html).toMatch(/^<p><strong>Express 5\.1: v5 is latest<\/strong><\/p><p>Express 5\.1\.0 was published on npm/)
    const notes = { ...npm, source: 'pypi', notes_html: '<p>From elsewhere.</p>', url: 'https://example.org/5.1.0' }
    const [withNotes] = releaseEvents(frameworks, [named, notes])
    expect(withNotes).toMatchObject({ url: 'https://example.org/5.1.0', content_html: expect.stringMatching(/<p>From elsewhere\.<\/p>$/) })
    expect(withNotes!.content_html).not.toContain('<strong>')
  })

  it('call a version a prerelease as soon as one source does, and re-pick the first of a major around it', () => {
    const rows = [release('2.0.0', '2011-01-01T00:00:00Z'), release('3.0.0alpha1', '2012-01-01T00:00:00Z'), release('3.0.0', '2012-10-01T00:00:00Z')]
    expect(releaseEvents(frameworks, rows).map((d) => [d.id, d.kind])).toEqual([
      ['release:express:2.0.0', 'release'], ['release:express:3.0.0alpha1', 'major'], ['release:express:3.0.0', 'release'],
    ])
    const github = release('v3.0.0alpha1', '2012-01-02T00:00:00Z', { source: 'github', subject: 'expressjs/express', prerelease: true })
    expect(releaseEvents(frameworks, [...rows, github]).map((d) => [d.id, d.kind, d.title])).toEqual([
      ['release:express:2.0.0', 'release', 'Express 2.0.0'],
      ['release:express:3.0.0alpha1', 'prerelease', 'Express 3.0.0alpha1 (prerelease)'],
      ['release:express:3.0.0', 'major', 'Express 3.0.0: new major version'],
    ])
  })

  it('read versions leniently', () => {
    expect(normalizeVersion(' v5.1.0 ')).toBe('5.1.0')
    expect(normalizeVersion('version-2')).toBe('version-2')
    expect(majorOf('2024.1')).toBe(2024)
    expect(majorOf('latest')).toBeNull()
  })

  it('carry notes trimmed to a sane length, cut at an element, with a link to the full text', () => {
    const notes = Array.from({ length: 400 }, (_, i) => `<p>Change number ${i} fixes something.</p>`).join('')
    const trimmed = trimNotes(notes)
    expect(trimmed.trimmed).toBe(true)
    expect(trimmed.html.length).toBeLessThanOrEqual(6000)
    expect(trimmed.html.endsWith('</p>')).toBe(true)
    const content = withNotes('<p>Intro.</p>', notes, 'https://example.org/r')
    expect(content).toMatch(/^<p>Intro\.<\/p><p>Change number 0 /)
    expect(content).toMatch(/<p><em>The notes are shortened here: <a href="https:\/\/example\.org\/r">read them in full<\/a>\.<\/em><\/p>$/)
    // One enormous element: its text, cut at a word.
    const list = trimNotes(`<ul>${'<li>item word</li>'.repeat(2000)}</ul>`)
    expect(list.html).toMatch(/^<p>item word item word .*…<\/p>$/)
    expect(withNotes('<p>Intro.</p>', '<p>Short.</p>', null)).toBe('<p>Intro.</p><p>Short.</p>')
  })
})

describe('guide events and the whole derivation', () => {
  // A revision after the bundled copy's (2026-06-09T11:52:13Z), as a live fetch stores it.
  const guide = [{ post_modified_at: new Date('2026-07-01T08:00:00Z'), post_url: 'https://example.org/guide', post_title: 'Top 10' }]
  const inputs: EventInputs = {
    frameworks: [EXPRESS],
    releases: [release('4.0.0', '2014-04-09T00:00:00Z'), release('5.0.0', '2024-09-10T04:39:28Z')],
    stars: [],
    downloads: series(120, (i) => (i < 60 ? 1000 : 1300)),
    guide: [...guide, ...guide],
    benchmarkRuns: [],
    benchmarkResults: [],
  }

  it('gives one global event per guide revision after the bundled one, none for the bundled one', () => {
    const bundled = { ...guide[0]!, post_modified_at: new Date('2026-06-09T11:52:13Z') }
    expect(guideEvents([bundled])).toEqual([])
    expect(guideEvents([{ ...bundled, post_modified_at: new Date('2026-05-01T00:00:00Z') }])).toEqual([])
    expect(guideEvents(guide)).toEqual([
      expect.objectContaining({ id: 'guide:2026-07-01T08:00:00.000Z', framework_id: null, kind: 'guide', url: 'https://example.org/guide', title: 'The guide was updated: Top 10' }),
    ])
  })

  it('is deterministic, drops duplicates and what is already stored but releases, which follow their data', () => {
    const first = deriveEvents(inputs, { trendThresholdPct: 20, known: new Set() })
    expect(first.map((d) => d.id)).toEqual([
      'release:express:4.0.0',
      'release:express:5.0.0',
      'trend:express:npm:express:2026-03-20:up',
      'guide:2026-07-01T08:00:00.000Z',
    ])
    expect(deriveEvents(inputs, { trendThresholdPct: 20, known: new Set() })).toEqual(first)
    const known = new Set(first.map((d) => d.id))
    expect(deriveEvents(inputs, { trendThresholdPct: 20, known }).map((d) => d.id)).toEqual(['release:express:4.0.0', 'release:express:5.0.0'])
  })

  it('stores data as JSON and stamps the derivation time', () => {
    const [draft] = deriveEvents(inputs, { trendThresholdPct: 20, known: new Set() })
    const row = toEventRow(draft!, new Date('2026-11-25T12:00:00Z'))
    expect(JSON.parse(row.data)).toMatchObject({ version: '4.0.0', major: 4 })
    expect(row.created_at).toEqual(new Date('2026-11-25T12:00:00Z'))
  })
})
