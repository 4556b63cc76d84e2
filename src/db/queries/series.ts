import { sql } from 'kysely'
import { addDays, daysBetween, laterDay } from '../../days.js'
import type { Db } from '../database.js'

export const RANGES = { '30d': 30, '90d': 90, '1y': 365, all: null } as const
export type Range = keyof typeof RANGES
export type Bucket = 'day' | 'week'

export interface Point {
  day: string
  value: number
}

export interface Series {
  source: string
  subject: string
  points: Point[]
}

export interface SeriesResult {
  metric: string
  range: Range
  bucket: Bucket
  /** First and last day covered, or null when nothing is stored. */
  from: string | null
  to: string | null
  /** When the newest value in the result was fetched. */
  fetchedAt: Date | null
  series: Series[]
}

// No chart ships more than ~1,000 points per series: longer spans are summed per week. 1,000
// weeks is 19 years, longer than any tracked history (npm's counts start in 2015).
const MAX_POINTS = 1000

export function bucketFor(spanDays: number): Bucket {
  return spanDays <= MAX_POINTS ? 'day' : 'week'
}

/**
 * One framework's metric over a range, one series per (source, subject), ending at the newest
 * stored day. Buckets longer than a day hold sums, and incomplete buckets are left out so a
 * partial week never reads as a dip.
 */
export async function metricSeries(
  db: Db,
  q: { frameworkId: number; metric: string; range: Range },
): Promise<SeriesResult> {
  const bounds = await db
    .selectFrom('observations')
    .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last'), eb.fn.max('fetched_at').as('fetched')])
    .where('framework_id', '=', q.frameworkId)
    .where('metric', '=', q.metric)
    .executeTakeFirst()
  const empty: SeriesResult = { metric: q.metric, range: q.range, bucket: 'day', from: null, to: null, fetchedAt: null, series: [] }
  if (!bounds?.first || !bounds.last) return empty

  const days = RANGES[q.range]
  const from = days === null ? bounds.first : laterDay(bounds.first, addDays(bounds.last, -(days - 1)))
  const bucket = bucketFor(daysBetween(from, bounds.last) + 1)
  const rows = bucket === 'day' ? await dailyRows(db, q, from) : await weeklyRows(db, q, from)

  const bySeries = new Map<string, Series>()
  for (const row of rows) {
    const key = `${row.source}\u0000${row.subject}`
    if (!bySeries.has(key)) bySeries.set(key, { source: row.source, subject: row.subject, points: [] })
    bySeries.get(key)!.points.push({ day: row.day, value: Number(row.value) })
  }
  return { ...empty, bucket, from, to: bounds.last, fetchedAt: bounds.fetched, series: [...bySeries.values()] }
}

type Query = { frameworkId: number; metric: string }

function dailyRows(db: Db, q: Query, from: string) {
  return db
    .selectFrom('observations')
    .select(['source', 'subject', 'day', 'value'])
    .where('framework_id', '=', q.frameworkId)
    .where('metric', '=', q.metric)
    .where('day', '>=', from)
    .orderBy('source')
    .orderBy('subject')
    .orderBy('day')
    .execute()
}

function weeklyRows(db: Db, q: Query, from: string) {
  // ISO weeks, Monday to Sunday.
  const start = sql<string>`date_trunc('week', day)::date`
  return db
    .selectFrom('observations')
    .select((eb) => ['source', 'subject', start.as('day'), eb.fn.sum<string>('value').as('value')])
    .where('framework_id', '=', q.frameworkId)
    .where('metric', '=', q.metric)
    .where('day', '>=', from)
    .groupBy(['source', 'subject', start])
    // A week is complete when it holds a value for each of its 7 days.
    .having(sql<boolean>`count(*) = 7`)
    .orderBy('source')
    .orderBy('subject')
    .orderBy(start)
    .execute()
}

export interface PeriodSummary {
  framework_id: number
  source: string
  subject: string
  /** Newest day with a value. */
  as_of: string
  fetched_at: Date
  last_7: number
  /** Days present among the last 7 (fewer right after the first sync of a young package). */
  days_7: number
  prev_7: number | null
}

/**
 * Per framework and package: the last 7 stored days' total and the 7 days before, for the
 * overview's "weekly downloads" and its change. prev_7 is null unless all 7 earlier days exist.
 */
export async function weeklySummaries(db: Db, metric: string): Promise<PeriodSummary[]> {
  const result = await sql<PeriodSummary>`
    with latest as (
      select framework_id, source, subject, max(day) as as_of, max(fetched_at) as fetched_at
      from observations where metric = ${metric}
      group by framework_id, source, subject
    )
    select l.framework_id, l.source, l.subject, l.as_of, l.fetched_at,
      sum(o.value) filter (where o.day > l.as_of - 7) as last_7,
      case when count(*) filter (where o.day <= l.as_of - 7) = 7
        then sum(o.value) filter (where o.day <= l.as_of - 7) end as prev_7,
      count(*) filter (where o.day > l.as_of - 7) as days_7
    from latest l
    join observations o on o.framework_id = l.framework_id and o.metric = ${metric}
      and o.source = l.source and o.subject = l.subject and o.day > l.as_of - 14
    group by l.framework_id, l.source, l.subject, l.as_of, l.fetched_at
    order by l.framework_id, l.source, l.subject`.execute(db)
  return result.rows.map((r) => ({
    ...r,
    last_7: Number(r.last_7),
    days_7: Number(r.days_7),
    prev_7: r.prev_7 === null ? null : Number(r.prev_7),
  }))
}
