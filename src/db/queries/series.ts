import { sql } from 'kysely'
import { addDays, daysBetween, laterDay } from '../../days.js'
import type { Db } from '../database.js'
import { METRICS, type Metric, type MetricKind } from '../../metrics.js'
import { starHistoryComplete } from './star-history.js'

export const RANGES = { '30d': 30, '90d': 90, '1y': 365, '3y': 1095, all: null } as const
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
  /** The range's name: one of RANGES, or COMPARE_RANGES on /compare. */
  range: string
  bucket: Bucket
  /** First and last day covered, or null when nothing is stored. */
  from: string | null
  to: string | null
  /** When the newest value in the result was fetched. */
  fetchedAt: Date | null
  /** Cumulative metrics only: the newest GitHub star count (metric 'stars'), where the running total ends. */
  anchor?: Point
  /**
   * Cumulative metrics only: the oldest stored day of the history, and whether it reaches back to
   * the repository's creation (star-history.ts). Until it does, the line starts at a count that
   * includes stars given before its first day.
   */
  history?: { from: string; complete: boolean }
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
 * stored day. Over long ranges, daily counts are summed per week (incomplete weeks left out, so a
 * partial week never reads as a dip) and levels keep each week's last value.
 */
export async function metricSeries(db: Db, q: { frameworkId: number; metric: Metric; range: Range }): Promise<SeriesResult> {
  return metricSeriesOver(db, { ...q, days: RANGES[q.range] })
}

/** metricSeries over any span: the last `days` days (null: everything stored), named `range`. */
export async function metricSeriesOver(db: Db, q: { frameworkId: number; metric: Metric; range: string; days: number | null; bucket?: Bucket; kind?: MetricKind }): Promise<SeriesResult> {
  const bounds = await db
    .selectFrom('observations')
    .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last'), eb.fn.max('fetched_at').as('fetched')])
    .where('framework_id', '=', q.frameworkId)
    .where('metric', '=', q.metric)
    .executeTakeFirst()
  const empty: SeriesResult = { metric: q.metric, range: q.range, bucket: 'day', from: null, to: null, fetchedAt: null, series: [] }
  if (!bounds?.first || !bounds.last) return empty

  const kind = q.kind ?? METRICS[q.metric].kind
  // Without a star count to end at, a running total of the stored days is not a count of stars.
  const anchor = kind === 'cumulative' ? await starsAnchor(db, q.frameworkId) : undefined
  if (kind === 'cumulative' && !anchor) return empty

  const days = q.days
  const from = days === null ? bounds.first : laterDay(bounds.first, addDays(bounds.last, -(days - 1)))
  const bucket = q.bucket ?? bucketFor(daysBetween(from, bounds.last) + 1)
  const { rows } = await seriesQuery({ ...q, kind, anchor: anchor ?? { day: bounds.last, value: 0 } }, from, bucket).execute(db)

  const bySeries = new Map<string, Series>()
  for (const row of rows) {
    const key = `${row.source}\u0000${row.subject}`
    if (!bySeries.has(key)) bySeries.set(key, { source: row.source, subject: row.subject, points: [] })
    bySeries.get(key)!.points.push({ day: row.day, value: Number(row.value) })
  }
  const cumulative = anchor ? { anchor, history: { from: bounds.first, complete: await starHistoryComplete(db, q.frameworkId, q.metric) } } : {}
  return { ...empty, bucket, from, to: bounds.last, fetchedAt: bounds.fetched, ...cumulative, series: [...bySeries.values()] }
}

/** The framework's newest stored GitHub star count (github-repo.ts), or undefined if none. */
async function starsAnchor(db: Db, frameworkId: number): Promise<Point | undefined> {
  const row = await db
    .selectFrom('observations')
    .select(['day', 'value'])
    .where('framework_id', '=', frameworkId)
    .where('metric', '=', 'stars')
    .where('source', '=', 'github')
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { day: row.day, value: Number(row.value) } : undefined
}

type Row = { source: string; subject: string; day: string; value: number | string }

function seriesQuery(q: { frameworkId: number; metric: Metric; kind: MetricKind; anchor: Point }, from: string, bucket: Bucket) {
  const kind = q.kind
  // A running total ends at the star count of the anchor's day and counts back: each day is the
  // anchor less the gains stored between it and the anchor's day (plus those after the anchor's
  // day, for days after it). Summed from the oldest stored day instead, it would start at zero
  // wherever the backfill happens to have reached. The sums run over every stored day, whatever
  // the range shows. Stars stored as given up to a day still exist, so the day's count is at least
  // their sum: an older anchor than the history never draws fewer.
  const values =
    kind === 'cumulative'
      ? sql`select source, subject, day, greatest(upto, ${q.anchor.value}::double precision + upto
              - coalesce(sum(value) filter (where day <= ${q.anchor.day}) over (partition by source, subject), 0)) as value
            from (select source, subject, day, value,
                    sum(value) over (partition by source, subject order by day rows unbounded preceding) as upto
                  from observations where framework_id = ${q.frameworkId} and metric = ${q.metric}) c`
      : sql`select source, subject, day, value
            from observations where framework_id = ${q.frameworkId} and metric = ${q.metric} and day >= ${from}`
  if (bucket === 'day') {
    return sql<Row>`select source, subject, day, value from (${values}) v where day >= ${from} order by source, subject, day`
  }
  // ISO weeks, Monday to Sunday.
  if (kind === 'daily') {
    return sql<Row>`
      select source, subject, date_trunc('week', day)::date as day, sum(value) as value
      from (${values}) v where day >= ${from}
      group by source, subject, date_trunc('week', day)
      having count(*) = 7
      order by source, subject, 3`
  }
  return sql<Row>`
    select distinct on (source, subject, date_trunc('week', day)) source, subject, date_trunc('week', day)::date as day, value
    from (${values}) v where day >= ${from}
    order by source, subject, date_trunc('week', day), v.day desc`
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
