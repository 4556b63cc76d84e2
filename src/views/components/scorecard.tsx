import { cadence, type ReleasePoint } from '../../cadence.js'
import type { Spark } from '../../db/queries/sparklines.js'
import type { Metric } from '../../metrics.js'
import { formatPercent } from '../format.js'
import { sourceName } from '../../source-names.js'
import { Sparkline } from './sparkline.js'

// A change under 1 % either way is flat, not a trend.
const FLAT = 0.01

/** Per framework on the overview: a 90-day sparkline, its trend arrow and release freshness. */
export function Scorecard({ slug, data, releases, now }: { slug: string; data: { metric: Metric; spark: Spark } | null; releases: ReleasePoint[]; now: Date }) {
  const last = releases.length > 0 ? cadence(releases, now) : null
  if (!data && !last?.lastVersion) return null
  const what = data ? (data.metric === 'downloads' ? `${data.spark.series.subject} (${sourceName(data.spark.series.source)}) downloads` : `${data.spark.series.subject} GitHub stars`) : ''
  const perDay = data?.metric === 'downloads' ? `${what} per day` : what
  const trend = data?.spark.trend ?? null
  const arrow = trend === null ? null : trend > FLAT ? '▲' : trend < -FLAT ? '▼' : '▶'
  const trendWhat = data?.metric === 'downloads' ? 'last 28 days vs the 28 before' : 'over 90 days'
  return (
    <div class="scorecard">
      {data && data.spark.series.points.length > 1 && (
        <a href={`/compare?fw=${slug}&metric=${data.metric}&range=90d`} title={`Compare ${perDay}`}>
          <Sparkline points={data.spark.series.points} label={`${perDay}, last 90 days`} />
        </a>
      )}
      {/* One day draws a dot no one can see: say why there is no line instead of leaving a gap. */}
      {data && data.spark.series.points.length === 1 && (
        <span class="muted spark-pending">
          No sparkline yet: only one day (<time datetime={data.spark.series.points[0]!.day}>{data.spark.series.points[0]!.day}</time>) of {what} stored
        </span>
      )}
      {arrow && trend !== null && (
        <span class={trend > FLAT ? 'trend-up' : trend < -FLAT ? 'trend-down' : 'muted'}>
          {arrow} {formatPercent(trend)} <span class="muted">{trendWhat}</span>
        </span>
      )}
      {last?.lastVersion && last.daysSinceLast !== null && (
        <span class={last.daysSinceLast > 180 ? 'trend-down' : undefined}>
          last release {last.lastVersion}, {last.daysSinceLast === 0 ? 'today' : `${last.daysSinceLast} d ago`}
        </span>
      )}
    </div>
  )
}

