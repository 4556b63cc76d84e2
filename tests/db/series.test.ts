import { describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import { metricSeries, metricSeriesOver } from '../../src/db/queries/series.js'
import { saveSourceState, upsertObservations } from '../../src/db/writes.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-24T12:00:00Z')
// A Tuesday: the newest week is incomplete.
const TODAY = '2026-11-24'
const STARS = 91_234
const DAYS = 30 * 7
const t = useTestDatabase()

/** Stars given on the i-th day before TODAY: 20 to 24, about 4,600 over the 30 weeks. */
const gainOn = (i: number) => 20 + (i % 5)
const dayOf = (i: number) => addDays(TODAY, -i)

async function seed(opts: { snapshot: boolean }) {
  const express = await frameworkIdOf(t.db, 'express')
  const flask = await frameworkIdOf(t.db, 'flask')
  const row = (framework_id: number, subject: string, metric: string, day: string, value: number) => ({ framework_id, source: 'github', subject, metric, day, value, fetched_at: NOW })
  await upsertObservations(t.db, [
    ...Array.from({ length: DAYS }, (_, i) => row(express, 'expressjs/express', 'stars_retained', dayOf(i), gainOn(i))),
    ...(opts.snapshot
      ? [
          row(express, 'expressjs/express', 'stars', TODAY, STARS),
          // An older snapshot, and another framework's: neither is the anchor.
          row(express, 'expressjs/express', 'stars', addDays(TODAY, -1), STARS - 50),
          row(flask, 'pallets/flask', 'stars', addDays(TODAY, 1), 70_000),
        ]
      : []),
  ])
  return express
}

/** Stars given after `day`, and on or before it, from the seeded counts. */
function gains(day: string) {
  let after = 0
  let upTo = 0
  for (let i = 0; i < DAYS; i++) {
    if (dayOf(i) > day) after += gainOn(i)
    else upTo += gainOn(i)
  }
  return { after, upTo }
}

describe('cumulative star series', () => {
  it("ends at today's star count and counts back from it, day by day", async () => {
    const frameworkId = await seed({ snapshot: true })
    const result = await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', range: 'all', days: null })
    expect(result.anchor).toEqual({ day: TODAY, value: STARS })
    expect(result.bucket).toBe('day')
    expect(result.from).toBe(dayOf(DAYS - 1))
    const points = result.series[0]!.points
    expect(points).toHaveLength(DAYS)
    expect(Math.abs(points.at(-1)!.value - STARS) / STARS).toBeLessThan(0.01)
    expect(points.at(-1)).toEqual({ day: TODAY, value: STARS })
    const total = gains(dayOf(0)).upTo
    expect(total).toBeGreaterThan(4_000)
    expect(total).toBeLessThan(6_000)
    // The oldest stored day: today's count less every later stored gain, not the day's own gain.
    expect(points[0]).toEqual({ day: dayOf(DAYS - 1), value: STARS - (total - gainOn(DAYS - 1)) })
    for (const p of points) {
      expect(p.value, p.day).toBe(STARS - gains(p.day).after)
      expect(p.value, p.day).toBeGreaterThanOrEqual(gains(p.day).upTo)
    }
  })

  it('keeps the anchor when the range shows fewer days than are stored', async () => {
    const frameworkId = await seed({ snapshot: true })
    const result = await metricSeries(t.db, { frameworkId, metric: 'stars_retained', range: '30d' })
    const points = result.series[0]!.points
    expect(points).toHaveLength(30)
    expect(points[0]).toEqual({ day: dayOf(29), value: STARS - gains(dayOf(29)).after })
    expect(points.at(-1)).toEqual({ day: TODAY, value: STARS })
  })

  it("per week: each week's last day, the newest partial week ending at the anchor", async () => {
    const frameworkId = await seed({ snapshot: true })
    const result = await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', range: 'all', days: null, bucket: 'week' })
    const points = result.series[0]!.points
    // 210 days ending on a Tuesday: 29 full weeks, a partial one either side.
    expect(points).toHaveLength(31)
    expect(points.at(-1)).toEqual({ day: '2026-11-23', value: STARS })
    // The week of Monday 2026-11-16 ends on Sunday 2026-11-22.
    expect(points.at(-2)).toEqual({ day: '2026-11-16', value: STARS - gains('2026-11-22').after })
    for (const p of points.slice(0, -1)) expect(p.value, p.day).toBe(STARS - gains(addDays(p.day, 6)).after)
  })

  it('without a stored star count, charts no running total, but still the daily counts', async () => {
    const frameworkId = await seed({ snapshot: false })
    const result = await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', range: 'all', days: null })
    expect(result.series).toEqual([])
    expect(result).not.toHaveProperty('anchor')
    const daily = await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', kind: 'daily', range: 'all', days: null })
    expect(daily.series[0]!.points.at(-1)).toEqual({ day: TODAY, value: gainOn(0) })
    expect(daily).not.toHaveProperty('anchor')
  })

  it('an anchor older than the newest stored gains: later days add them, earlier days subtract only those up to it', async () => {
    const frameworkId = await seed({ snapshot: false })
    const anchorDay = dayOf(10)
    await upsertObservations(t.db, [{ framework_id: frameworkId, source: 'github', subject: 'expressjs/express', metric: 'stars', day: anchorDay, value: STARS, fetched_at: NOW }])
    const points = (await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', range: 'all', days: null })).series[0]!.points
    const between = (a: string, b: string) => gains(a).after - gains(b).after
    for (const p of points) {
      const expected = p.day <= anchorDay ? STARS - between(p.day, anchorDay) : STARS + between(anchorDay, p.day)
      expect(p.value, p.day).toBe(expected)
    }
    expect(points.find((p) => p.day === anchorDay)!.value).toBe(STARS)
  })

  it('never draws fewer stars on a day than the stored gains up to it, even when the anchor is smaller', async () => {
    const frameworkId = await seed({ snapshot: false })
    // Fewer than the ~4,600 stored gains: a count fetched before the history's own stars.
    await upsertObservations(t.db, [{ framework_id: frameworkId, source: 'github', subject: 'expressjs/express', metric: 'stars', day: TODAY, value: 1_000, fetched_at: NOW }])
    const points = (await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', range: 'all', days: null })).series[0]!.points
    for (const p of points) expect(p.value, p.day).toBe(Math.max(gains(p.day).upTo, 1_000 - gains(p.day).after))
    expect(points.at(-1)!.value).toBe(gains(TODAY).upTo)
  })

  it('says how far back the history reaches, and whether that is the repository\'s creation', async () => {
    const frameworkId = await seed({ snapshot: true })
    const series = () => metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', range: '30d', days: 30 })
    expect((await series()).history).toEqual({ from: dayOf(DAYS - 1), complete: false })
    // Older pages still to fetch: the cursor the GitHub source keeps (github-star-history.ts).
    await saveSourceState(t.db, 'github', 'express:history', { newest: TODAY, next: 'https://api.github.test/x?page=2' }, NOW)
    expect((await series()).history).toEqual({ from: dayOf(DAYS - 1), complete: false })
    await saveSourceState(t.db, 'github', 'express:history', { newest: TODAY, next: null }, NOW)
    expect((await series()).history).toEqual({ from: dayOf(DAYS - 1), complete: true })
    const daily = await metricSeriesOver(t.db, { frameworkId, metric: 'stars_retained', kind: 'daily', range: 'all', days: null })
    expect(daily).not.toHaveProperty('history')
  })
})
