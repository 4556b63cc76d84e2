import { COMPARE_METRICS, COMPARE_RANGES, isReleaseMetric, type CompareMetric, type CompareState } from '../../compare/options.js'
import { fillQuarters, quarterWindow } from '../../compare/quarters.js'
import { shareSeries, type Member, type ShareGroup } from '../../compare/share.js'
import { applyView, downsample, smooth, type CompareSeries } from '../../compare/transform.js'
import type { Metric, MetricKind } from '../../metrics.js'
import type { Db } from '../database.js'
import { stableReleasesPerQuarter } from './release-counts.js'
import { metricSeriesOver, type Bucket } from './series.js'

/** Days, ISO weeks (Monday to Sunday, on ranges over 1,000 days), or calendar quarters (releases). */
export type CompareBucket = Bucket | 'quarter'

export interface CompareResult {
  state: CompareState
  bucket: CompareBucket
  from: string | null
  to: string | null
  series: CompareSeries[]
  /** Shown frameworks with nothing stored for the metric, by name. */
  absent: string[]
  /** The view is share: each drawn source's denominator. */
  share: ShareGroup[] | null
  /** Quarterly counts: the quarter left out because it is not over, and its counts so far. */
  quarters: { current: string; widened: boolean; soFar: { framework: string; name: string; value: number }[] } | null
}

interface Tracked extends Member {
  id: number
  sources: string[]
}

interface Loaded {
  bucket: CompareBucket
  series: CompareSeries[]
  quarters: CompareResult['quarters']
}

/**
 * The chosen frameworks' series for one metric, one per (framework, source, package): bounded
 * (weekly buckets beyond 1,000 days, then thinned), smoothed, then put in the chosen view. The
 * share view loads every tracked framework, so a framework's share never depends on which
 * others are ticked. `now` decides which quarter is not over yet.
 */
export async function compareSeries(db: Db, state: CompareState, now = new Date()): Promise<CompareResult> {
  const tracked = await trackedFrameworks(db)
  const order = new Map(state.fw.map((slug, i) => [slug, i]))
  const shownOnes = tracked.filter((f) => order.has(f.slug)).sort((a, b) => order.get(a.slug)! - order.get(b.slug)!)
  const loadedOnes = state.view === 'share' ? tracked : shownOnes
  const metric = state.metric
  const loaded = isReleaseMetric(metric) ? await releaseSeries(db, loadedOnes, state, now) : await observationSeries(db, loadedOnes, state, metric)
  const shown = loaded.series.filter((s) => order.has(s.framework)).sort((a, b) => order.get(a.framework)! - order.get(b.framework)!)

  let viewed: CompareSeries[]
  let share: ShareGroup[] | null = null
  if (state.view === 'share') {
    const releases = isReleaseMetric(state.metric)
    const result = shareSeries(
      shown,
      loaded.series,
      (s) => (releases ? 'releases' : s.source),
      (key) => tracked.filter((f) => releases || f.sources.includes(key)),
    )
    viewed = result.series
    share = result.groups
  } else {
    viewed = applyView(shown, state.view)
  }
  const days = shown.flatMap((s) => s.points.map((p) => p.day)).sort()
  return {
    state,
    bucket: loaded.bucket,
    from: days[0] ?? null,
    to: days[days.length - 1] ?? null,
    series: viewed.map((s) => ({ ...s, points: downsample(s.points) })).filter((s) => s.points.length > 0),
    absent: shownOnes.filter((f) => !shown.some((s) => s.framework === f.slug && s.points.length > 0)).map((f) => f.name),
    share,
    quarters: loaded.quarters && { ...loaded.quarters, soFar: loaded.quarters.soFar.filter((c) => order.has(c.framework)).sort((a, b) => order.get(a.framework)! - order.get(b.framework)!) },
  }
}

async function trackedFrameworks(db: Db): Promise<Tracked[]> {
  const [frameworks, sources] = await Promise.all([
    db.selectFrom('frameworks').select(['id', 'slug', 'name']).where('tracked', '=', true).orderBy('position').execute(),
    db.selectFrom('framework_sources').select(['framework_id', 'source']).execute(),
  ])
  return frameworks.map((f) => ({ ...f, sources: sources.filter((s) => s.framework_id === f.id).map((s) => s.source) }))
}

async function observationSeries(db: Db, frameworks: Tracked[], state: CompareState, metric: CompareMetric): Promise<Loaded> {
  const chosen: { metric: Metric; kind?: MetricKind } = COMPARE_METRICS[metric]
  const query = (f: Tracked, bucket?: Bucket) =>
    metricSeriesOver(db, { frameworkId: f.id, metric: chosen.metric, kind: chosen.kind, range: state.range, days: COMPARE_RANGES[state.range], bucket })
  const results = await Promise.all(frameworks.map(async (f) => ({ f, r: await query(f) })))
  // One bucket for all, so the lines share an x axis: weekly if any framework needs it.
  const bucket: Bucket = results.some(({ r }) => r.bucket === 'week') ? 'week' : 'day'
  const aligned = await Promise.all(results.map(async (x) => (x.r.bucket === bucket ? x : { f: x.f, r: await query(x.f, bucket) })))
  const series = aligned.flatMap(({ f, r }) =>
    r.series.map((s) => ({
      framework: f.slug,
      frameworkName: f.name,
      source: s.source,
      subject: s.subject,
      fetchedAt: r.fetchedAt,
      points: smooth(s.points, state.smooth, bucket),
    })),
  )
  return { bucket, series, quarters: null }
}

/**
 * Stable releases per complete quarter. Smoothing does not apply: a point is a quarter's total.
 * In share view every framework counts from the same first quarter (0 before its first release,
 * when it published none), so all members have a figure in every quarter.
 */
async function releaseSeries(db: Db, frameworks: Tracked[], state: CompareState, now: Date): Promise<Loaded> {
  const window = quarterWindow(COMPARE_RANGES[state.range], now)
  const counts = await stableReleasesPerQuarter(db, frameworks.map((f) => f.id))
  const firsts = [...counts.values()].map((c) => c.first).sort()
  const groupStart = window.first ?? firsts[0]
  const series: CompareSeries[] = []
  const soFar: { framework: string; name: string; value: number }[] = []
  for (const f of frameworks) {
    const c = counts.get(f.id)
    if (!c) continue
    const from = state.view === 'share' ? groupStart! : window.first && window.first > c.first ? window.first : c.first
    series.push({
      framework: f.slug,
      frameworkName: f.name,
      source: [...new Set(c.sources.map((s) => s.source))].join(' + '),
      subject: [...new Set(c.sources.map((s) => s.subject))].join(' + '),
      fetchedAt: c.fetched_at,
      points: fillQuarters(c.quarters, from, window.last),
    })
    soFar.push({ framework: f.slug, name: f.name, value: c.quarters.get(window.current) ?? 0 })
  }
  return { bucket: 'quarter', series, quarters: { current: window.current, widened: window.widened, soFar } }
}
