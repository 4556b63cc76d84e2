import { describe, expect, it } from 'vitest'
import { addSeries, fillRows, planDaily, releaseSeriesSchema, releasesFor, type DailyState, type Fill } from '../../../src/jobs/sources/hex-daily.js'

const today = '2026-11-25'

describe('Hex daily history: planning a fill', () => {
  it('the first run fills all history before the day the package document states', () => {
    expect(planDaily(null, today, true, false)).toEqual({
      coveredTo: null,
      chain: { from: '2026-11-24', to: '2026-11-24' },
      fill: { from: null, to: '2026-11-23', done: [], sums: {} },
    })
  })

  it('without a `day` figure the first fill stops the day before yesterday, and no later one is made', () => {
    const first = planDaily(null, today, false, false)
    expect(first).toEqual({ coveredTo: null, chain: null, fill: { from: null, to: '2026-11-23', done: [], sums: {} } })
    const done: DailyState = { ...first, coveredTo: '2026-11-23', fill: null }
    expect(planDaily(done, '2026-11-28', false, false)).toEqual({ ...done, fill: null })
  })

  it('daily runs extend the chain and ask for nothing', () => {
    const filled: DailyState = { coveredTo: '2026-11-24', chain: { from: '2026-11-24', to: '2026-11-24' }, fill: null }
    expect(planDaily(filled, '2026-11-26', true, false)).toEqual({
      coveredTo: '2026-11-25',
      chain: { from: '2026-11-24', to: '2026-11-25' },
      fill: null,
    })
    // A second run the same day changes nothing.
    const same = planDaily(filled, today, true, false)
    expect(same).toEqual(filled)
  })

  it('missed runs leave a gap, and only the gap is filled', () => {
    const filled: DailyState = { coveredTo: '2026-11-24', chain: { from: '2026-11-24', to: '2026-11-24' }, fill: null }
    expect(planDaily(filled, '2026-11-29', true, false)).toEqual({
      coveredTo: '2026-11-24',
      chain: { from: '2026-11-28', to: '2026-11-28' },
      fill: { from: '2026-11-25', to: '2026-11-27', done: [], sums: {} },
    })
  })

  it('a fill in progress is continued, not restarted, while the chain moves on', () => {
    const fill: Fill = { from: null, to: '2026-11-23', done: ['1.8.1'], sums: { '2026-11-23': 5 } }
    const pending: DailyState = { coveredTo: null, chain: { from: '2026-11-24', to: '2026-11-24' }, fill }
    expect(planDaily(pending, '2026-11-26', true, false)).toEqual({ ...pending, chain: { from: '2026-11-24', to: '2026-11-25' } })
  })

  it('--backfill starts over from all history and keeps the chain', () => {
    const filled: DailyState = { coveredTo: '2026-11-24', chain: { from: '2026-11-10', to: '2026-11-24' }, fill: null }
    expect(planDaily(filled, today, true, true)).toEqual({
      coveredTo: null,
      chain: { from: '2026-11-10', to: '2026-11-24' },
      fill: { from: null, to: '2026-11-09', done: [], sums: {} },
    })
  })
})

describe('Hex daily history: summing releases', () => {
  const fill: Fill = { from: '2026-11-20', to: '2026-11-22', done: [], sums: {} }

  it('sums per day across releases, only over the fill’s days', () => {
    const a = addSeries(fill, { version: '1.8.1', downloads: [['2026-11-19', 1000], ['2026-11-20', 7], ['2026-11-22', 9], ['2026-11-23', 1000]] })
    const b = addSeries(a, { version: '1.7.14', downloads: [['2026-11-21', 3], ['2026-11-22', 4]] })
    const c = addSeries(b, { version: '1.8.0-rc.0', downloads: [] })
    expect(c.done).toEqual(['1.8.1', '1.7.14', '1.8.0-rc.0'])
    expect(fillRows(c, 'phoenix')).toEqual([
      { subject: 'phoenix', metric: 'downloads', day: '2026-11-20', value: 7 },
      { subject: 'phoenix', metric: 'downloads', day: '2026-11-21', value: 3 },
      { subject: 'phoenix', metric: 'downloads', day: '2026-11-22', value: 13 },
    ])
  })

  it('asks only for releases published by the fill’s last day', () => {
    const releases = [
      { version: '1.8.2', inserted_at: '2026-11-23T00:10:00Z' },
      { version: '1.8.1', inserted_at: '2026-11-22T23:59:59.999999Z' },
      { version: '0.1.0' },
    ]
    expect(releasesFor(fill, releases)).toEqual(['1.8.1', '0.1.0'])
  })

  it('rejects series that are not one count per day, oldest first', () => {
    const unordered = releaseSeriesSchema.safeParse({ version: '1.8.1', downloads: [['2026-11-21', 3], ['2026-11-20', 4]] })
    expect(unordered.error!.issues[0]!.path).toEqual(['downloads', 1, 0])
    const total = releaseSeriesSchema.safeParse({ version: '1.8.1', downloads: 16 })
    expect(total.error!.issues[0]!.path).toEqual(['downloads'])
    const negative = releaseSeriesSchema.safeParse({ version: '1.8.1', downloads: [['2026-11-21', -1]] })
    expect(negative.error!.issues[0]!.path).toEqual(['downloads', 0, 1])
  })
})
