import type { Child } from 'hono/jsx'
import { CHARTS, type ChartName } from '../../charts.js'
import type { Range, SeriesResult } from '../../db/queries/series.js'
import { METRICS, type Metric } from '../../metrics.js'
import { formatNumber } from '../format.js'
import { sourceName } from '../../source-names.js'
import { EmptyState } from './empty-state.js'
import { OnePointFigure } from './one-point-figure.js'
import { RangePicker } from './range-picker.js'
import { SourceNote } from './source-note.js'

export interface ChartView {
  name: ChartName
  results: SeriesResult[]
  /** Shown instead of the chart when nothing is stored: why there is no data. */
  missing: Child
  /** The empty state's heading, when CHARTS' "… yet" would be wrong (the source publishes none). */
  emptyTitle?: string | undefined
}

/** The empty state's heading: the page's own (a source that publishes none), else "No download data yet". */
function emptyTitle(chart: ChartView): string {
  return chart.emptyTitle ?? CHARTS[chart.name].empty
}

const UNIT = { day: 'per day', week: 'per week (Monday to Sunday)' } as const

/** Every chart of a framework page under one range picker; also the htmx fragment's body. */
export function TrendCharts({ slug, range, charts }: { slug: string; range: Range; charts: ChartView[] }) {
  const anyData = charts.some((c) => hasData(c.results))
  return (
    <section id="trend-chart" class="charts" aria-labelledby="trend-chart-title">
      <div class="chart-head">
        <h2 id="trend-chart-title">Trends</h2>
        {/* With nothing stored every range is equally empty: no picker to click in vain. */}
        {anyData && <RangePicker slug={slug} current={range} />}
      </div>
      {charts.map((chart) => (
        <TrendChart slug={slug} chart={chart} />
      ))}
    </section>
  )
}

function TrendChart({ slug, chart }: { slug: string; chart: ChartView }) {
  const { title, caveat } = CHARTS[chart.name]
  const results = chart.results.filter((r) => r.series.length > 0)
  const lines = drawable(results)
  const data = chartData(lines)
  const single = results.flatMap((r) => r.series.filter((s) => s.points.length === 1).map((s) => ({ result: r, series: s })))
  return (
    <section class="chart-block" aria-labelledby={`chart-${chart.name}`}>
      <h3 id={`chart-${chart.name}`}>{title}</h3>
      {!hasData(results) ? (
        <EmptyState title={emptyTitle(chart)}>{chart.missing}</EmptyState>
      ) : (
        <>
          {lines.map((r) => (
            <p class="chart-caption">
              {METRICS[r.metric as Metric].label}
              {r.bucket === 'week' ? `, ${UNIT.week}` : ''}, {r.from} to {r.to}
              {r.anchor && `, anchored to today's count of ${formatNumber(r.anchor.value)} stars (GitHub, ${r.anchor.day})`}
              {r.history && !r.history.complete && (
                <>. {historyReach(r.history.from)}</>
              )}
            </p>
          ))}
          {single.map(({ result, series }) => (
            <OnePointFigure label={seriesLabel(result, series.source, series.subject, true)} value={series.points[0]!.value} at={series.points[0]!.day} bucket={result.bucket} />
          ))}
          {data.labels.length > 0 && (
            <div class="chart-frame">
              <canvas data-series={JSON.stringify(data)} role="img" aria-label={`${title}: line chart; the table below has the values`} />
            </div>
          )}
          <p class="caveat">{caveat}</p>
          <SeriesTable results={results} />
          {results.map((r) => (
            <SourceNote source={sourceLabel(r)} fetchedAt={r.fetchedAt} />
          ))}
          <p class="chart-links">
            {results.map((r, i) => {
              const href = `/api/frameworks/${slug}/series?metric=${r.metric}&range=${r.range}`
              return (
                <>
                  {i > 0 && '; '}
                  Download{results.length > 1 ? ` ${METRICS[r.metric as Metric].label}` : ''}: <a href={`${href}&format=csv`}>CSV</a> / <a href={`${href}&format=json`}>JSON</a>
                </>
              )
            })}
          </p>
        </>
      )}
    </section>
  )
}

/** The series a line can show: two points at least (one is a figure, drawn as a lone dot or not at all). */
function drawable(results: SeriesResult[]): SeriesResult[] {
  return results.map((r) => ({ ...r, series: r.series.filter((s) => s.points.length > 1) })).filter((r) => r.series.length > 0)
}

function hasData(results: SeriesResult[]): boolean {
  return results.some((r) => r.series.some((s) => s.points.length > 0))
}

function sourceLabel(result: SeriesResult): string {
  return `${METRICS[result.metric as Metric].label}: ${result.series.map((s) => `${sourceName(s.source)} (${s.subject})`).join(', ')}`
}

function seriesLabel(result: SeriesResult, source: string, subject: string, overlaid: boolean): string {
  const label = `${subject} (${sourceName(source)})`
  return overlaid ? `${METRICS[result.metric as Metric].label} · ${label}` : label
}

function SeriesTable({ results }: { results: SeriesResult[] }) {
  const overlaid = results.length > 1
  const rows = results
    .flatMap((r) => r.series.flatMap((s) => s.points.map((p) => ({ ...p, label: seriesLabel(r, s.source, s.subject, overlaid) }))))
    .sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0))
  return (
    <details class="data-table">
      <summary>Data table ({rows.length} rows)</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{results.some((r) => r.bucket === 'week') ? 'Day or week starting' : 'Day'}</th>
            <th scope="col">Series</th>
            <th scope="col" class="num">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <td>{row.day}</td>
              <td>{row.label}</td>
              <td class="num">{formatNumber(row.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

/** Chart.js line data: one dataset per (metric, source, package), labelled with all three. */
export function chartData(results: SeriesResult[]) {
  const overlaid = results.length > 1
  const labels = [...new Set(results.flatMap((r) => r.series.flatMap((s) => s.points.map((p) => p.day))))].sort()
  const datasets = results.flatMap((r) =>
    r.series.map((s) => {
      const byDay = new Map(s.points.map((p) => [p.day, p.value]))
      return { label: seriesLabel(r, s.source, s.subject, overlaid), data: labels.map((day) => byDay.get(day) ?? null) }
    }),
  )
  return { labels, datasets }
}

// The history is fetched newest weeks first: until it reaches the repository's creation, the
// line's first point counts every older star at once, and the chart says so.
function historyReach(from: string): string {
  return `The stored history reaches back to ${from} only; older weeks are fetched over later runs, so the line starts at that day's count, not at zero`
}
