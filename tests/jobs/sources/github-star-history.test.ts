import { describe, expect, it } from 'vitest'
import { SourceError } from '../../../src/jobs/errors.js'
import { ossInsightSchema, toStarsGiven } from '../../../src/jobs/sources/github-ossinsight.js'
import { historySchema, toRetained, weekDays, weeksSince } from '../../../src/jobs/sources/github-star-history.js'
import { fixture } from '../../helpers/npm-upstream.js'

const URL_ = 'https://api.github.com/repos/o/r/stargazers/history?per_page=30'
const at = (iso: string) => Date.parse(iso) / 1000

describe('star history: weeks of daily counts', () => {
  it('maps day i of a week to the week start plus i days, in UTC', () => {
    expect(weekDays(at('2026-11-22T00:00:00Z'))).toEqual([
      '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28',
    ])
    // Across a month end and a leap day.
    expect(weekDays(at('2028-02-27T00:00:00Z'))).toEqual([
      '2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01', '2028-03-02', '2028-03-03', '2028-03-04',
    ])
  })

  it('buckets starting at local midnight within ±12 h of UTC keep their calendar date', () => {
    // Midnight in San Francisco (UTC−8) and in Berlin in summer (UTC+2).
    expect(weekDays(at('2026-11-22T08:00:00Z'))[0]).toBe('2026-11-22')
    expect(weekDays(at('2026-06-20T22:00:00Z'))[0]).toBe('2026-06-21')
  })

  it('counts whole weeks since a week start', () => {
    const week = at('2026-11-22T00:00:00Z')
    expect(['2026-11-22', '2026-11-25', '2026-11-28', '2026-11-29', '2027-01-03'].map((d) => weeksSince(week, d))).toEqual([0, 0, 0, 1, 6])
    expect(weeksSince(week, '2026-11-01')).toBe(0)
  })

  it('turns the fixture page into retained stars per day, none after today', () => {
    const body = historySchema.parse(fixture('github/stargazers-history.json'))
    const rows = toRetained(body, 'o/r', '2026-11-25', URL_, 'x')
    expect(rows.slice(0, 4)).toEqual([
      { subject: 'o/r', metric: 'stars_retained', day: '2026-11-22', value: 4 },
      { subject: 'o/r', metric: 'stars_retained', day: '2026-11-23', value: 3 },
      { subject: 'o/r', metric: 'stars_retained', day: '2026-11-24', value: 2 },
      { subject: 'o/r', metric: 'stars_retained', day: '2026-11-25', value: 0 },
    ])
    expect(rows).toHaveLength(4 + 7 + 7)
    expect(rows.slice(4, 11).map((r) => [r.day, r.value])).toEqual([
      ['2026-11-15', 5], ['2026-11-16', 6], ['2026-11-17', 3], ['2026-11-18', 4], ['2026-11-19', 7], ['2026-11-20', 2], ['2026-11-21', 4],
    ])
    expect(rows.reduce((a, r) => a + r.value, 0)).toBe(9 + 31)
  })

  it('is strict about the shape', () => {
    const [week] = fixture('github/stargazers-history.json') as Array<Record<string, unknown>>
    const bad = [
      { ...week, days: [1, 2, 3, 4, 5, 6] },
      { ...week, days: [1, 2, 3, 4, 5, 6, 7, 8] },
      { ...week, days: [1, 2, 3, 4, 5, 6, -7] },
      { ...week, total: '9' },
      { ...week, week: '2026-11-22' },
      { ...week, days: [1.5, 0, 0, 0, 0, 0, 0] },
    ]
    for (const w of bad) expect(historySchema.safeParse([w]).success).toBe(false)
    expect(historySchema.safeParse({ weeks: [week] }).success).toBe(false)
  })

  it('a total that disagrees with its days, or weeks out of order, is a SourceError', () => {
    const body = historySchema.parse(fixture('github/stargazers-history.json'))
    expect(() => toRetained([body[0]!, { ...body[1]!, total: 30 }], 'o/r', '2026-11-25', URL_, 'rails')).toThrow(
      new SourceError('github', 'rails', `${URL_}: [1].total: is 30 but its days add up to 31`),
    )
    expect(() => toRetained([body[1]!, body[0]!], 'o/r', '2026-11-25', URL_, 'rails')).toThrow(
      new SourceError('github', 'rails', `${URL_}: [1].week: not older than the week before it (newest first expected)`),
    )
  })
})

describe('OSS Insight fallback: running totals of stars given', () => {
  const OSS = 'https://api.ossinsight.io/v1/repos/o/r/stargazers/history/?per=day&from=2026-11-02&to=2026-11-25'
  const body = () => ossInsightSchema.parse(fixture('github/ossinsight-stargazers-history.json'))

  it('a first answer: each day is the difference from the day before, the first from 0', () => {
    expect(toStarsGiven(body(), null, 'o/r', OSS, 'x').map((r) => [r.metric, r.day, r.value])).toEqual([
      ['stars_given', '2026-11-02', 3],
      ['stars_given', '2026-11-03', 2],
      ['stars_given', '2026-11-06', 7],
    ])
  })

  it('a later answer starts on a stored day: its row is the base and is not stored again', () => {
    expect(toStarsGiven(body(), '2026-11-02', 'o/r', OSS, 'x').map((r) => [r.day, r.value])).toEqual([
      ['2026-11-03', 2],
      ['2026-11-06', 7],
    ])
    // The same differences whether the totals count from the first star or from `from`.
    const restarted = { data: { rows: body().data.rows.map((r) => ({ ...r, stargazers: String(Number(r.stargazers) + 1000) })) } }
    expect(toStarsGiven(restarted, '2026-11-02', 'o/r', OSS, 'x').map((r) => r.value)).toEqual([2, 7])
  })

  it('rejects what it cannot read as running totals', () => {
    expect(() => toStarsGiven(body(), '2026-11-01', 'o/r', OSS, 'x')).toThrow(
      new SourceError('github', 'x', `${OSS}: data.rows[0].date: is 2026-11-02, expected 2026-11-01 (the day the request started on)`),
    )
    const down = { data: { rows: [{ date: '2026-11-02', stargazers: '5' }, { date: '2026-11-03', stargazers: '4' }] } }
    expect(() => toStarsGiven(down, null, 'o/r', OSS, 'x')).toThrow('data.rows[1].stargazers: a running total that went down')
    const unordered = { data: { rows: [{ date: '2026-11-03', stargazers: '1' }, { date: '2026-11-02', stargazers: '2' }] } }
    expect(() => toStarsGiven(unordered, null, 'o/r', OSS, 'x')).toThrow('data.rows[1].date: not after the row before it')
    expect(ossInsightSchema.safeParse({ data: { rows: [{ date: '2026-11-02', stargazers: 3 }] } }).success).toBe(false)
    expect(ossInsightSchema.safeParse({ data: { rows: [{ date: '2026-11-02T00:00:00Z', stargazers: '3' }] } }).success).toBe(false)
  })
})
