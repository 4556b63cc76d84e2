import { COMPARE_METRICS, COMPARE_RANGES, type CompareState } from '../../compare/options.js'
import { applyView, downsample, smooth, type CompareSeries } from '../../compare/transform.js'
import type { Metric, MetricKind } from '../../metrics.js'
import type { Db } from '../database.js'
import { metricSeriesOver, type Bucket } from './series.js'

export interface CompareResult {
  state: CompareState
  bucket: Bucket
  from: string | null
  to: string | null
  series: CompareSeries[]
}

/**
 * The chosen frameworks' series for one metric, one per (framework, source, package): bounded
 * (weekly buckets beyond 1,000 days, then thinned), smoothed, then put in the chosen view.
 */
export async function compareSeries(db: Db, state: CompareState): Promise<CompareResult> {
  const frameworks = await db
    .selectFrom('frameworks')
    .select(['id', 'slug', 'name'])
    .where('slug', 'in', state.fw.length > 0 ? state.fw : [''])
    .execute()
  const bySlug = new Map(frameworks.map((f) => [f.slug, f]))
  const chosen: { metric: Metric; kind?: MetricKind } = COMPARE_METRICS[state.metric]
  const { metric, kind } = chosen
  const results = await Promise.all(
    state.fw
      .map((slug) => bySlug.get(slug))
      .filter((f) => f !== undefined)
      .map(async (f) => ({ f, r: await metricSeriesOver(db, { frameworkId: f.id, metric, kind, range: state.range, days: COMPARE_RANGES[state.range] }) })),
  )
  // One bucket for all, so the lines share an x axis: weekly if any framework needs it.
  const bucket: Bucket = results.some(({ r }) => r.bucket === 'week') ? 'week' : 'day'
  const aligned = await Promise.all(
    results.map(async (x) => (x.r.bucket === bucket ? x : { f: x.f, r: await metricSeriesOver(db, { frameworkId: x.f.id, metric, kind, range: state.range, days: COMPARE_RANGES[state.range], bucket }) })),
  )
  const series: CompareSeries[] = aligned.flatMap(({ f, r }) =>
    r.series.map((s) => ({
      framework: f.slug,
      frameworkName: f.name,
      source: s.source,
      subject: s.subject,
      fetchedAt: r.fetchedAt,
      points: downsample(smooth(s.points, state.smooth, bucket)),
    })),
  )
  const days = series.flatMap((s) => s.points.map((p) => p.day)).sort()
  return { state, bucket, from: days[0] ?? null, to: days[days.length - 1] ?? null, series: applyView(series, state.view).filter((s) => s.points.length > 0) }
}
