import type { Metric, MetricKind } from '../../metrics.js'
import type { Db } from '../database.js'
import { metricSeriesOver, type Series } from './series.js'

export interface Spark {
  series: Series
  /** The newest value, and the sum of the last 7 days for daily counts. */
  latest: number
  last7: number | null
  /** Change of the last 28 days' mean against the 28 days before (daily counts), or over the span (levels); null if unknown. */
  trend: number | null
  fetchedAt: Date | null
}

/**
 * A framework's main series for a metric over the last `days` days: the one with the largest
 * newest value (its main package), never a sum across registries.
 */
export async function sparkFor(db: Db, frameworkId: number, metric: Metric, days: number, kind?: MetricKind): Promise<Spark | null> {
  // 56 days more than shown, so the 28-day trend has its comparison window.
  const result = await metricSeriesOver(db, { frameworkId, metric, kind, range: `${days}d`, days: Math.max(days, 56), bucket: 'day' })
  const main = result.series.filter((s) => s.points.length > 0).sort((a, b) => b.points.at(-1)!.value - a.points.at(-1)!.value)[0]
  if (!main) return null
  const all = main.points
  const shown = all.slice(-days)
  const daily = (kind ?? (metric === 'downloads' ? 'daily' : 'snapshot')) === 'daily'
  const mean = (xs: { value: number }[]) => xs.reduce((a, p) => a + p.value, 0) / xs.length
  let trend: number | null = null
  if (daily && all.length >= 56) trend = mean(all.slice(-28)) / mean(all.slice(-56, -28)) - 1
  else if (!daily && shown.length > 1 && shown[0]!.value > 0) trend = shown.at(-1)!.value / shown[0]!.value - 1
  return {
    series: { ...main, points: shown },
    latest: all.at(-1)!.value,
    last7: daily && all.length >= 7 ? all.slice(-7).reduce((a, p) => a + p.value, 0) : null,
    trend: Number.isFinite(trend) ? trend : null,
    fetchedAt: result.fetchedAt,
  }
}

/** The overview's scorecards: per framework, 90 days of its main downloads series, else GitHub stars. */
export async function overviewSparks(db: Db, frameworkIds: number[]): Promise<Map<number, { metric: Metric; spark: Spark } | null>> {
  const entries = await Promise.all(
    frameworkIds.map(async (id) => {
      const downloads = await sparkFor(db, id, 'downloads', 90)
      if (downloads) return [id, { metric: 'downloads' as Metric, spark: downloads }] as const
      const stars = await sparkFor(db, id, 'stars', 90)
      return [id, stars && { metric: 'stars' as Metric, spark: stars }] as const
    }),
  )
  return new Map(entries)
}
