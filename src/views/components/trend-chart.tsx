import type { SeriesResult } from '../../db/queries/series.js'
import { formatNumber } from '../format.js'
import { EmptyState } from './empty-state.js'
import { RangePicker } from './range-picker.js'
import { SourceNote } from './source-note.js'

export interface TrendChartProps {
  slug: string
  title: string
  result: SeriesResult
  /** Shown instead of the chart when nothing is stored: why there is no data. */
  missing: string
}

const UNIT = { day: 'per day', week: 'per week (weekly totals, Monday to Sunday)' } as const

/** The downloads chart with its range picker and data table; also the htmx fragment's body. */
export function TrendChart({ slug, title, result, missing }: TrendChartProps) {
  const data = chartData(result)
  return (
    <section id="trend-chart" class="chart-block" aria-labelledby="trend-chart-title">
      <div class="chart-head">
        <h2 id="trend-chart-title">{title}</h2>
        {/* With nothing stored every range is equally empty: no picker to click in vain. */}
        {data.labels.length > 0 && <RangePicker slug={slug} current={result.range} />}
      </div>
      {data.labels.length === 0 ? (
        <EmptyState title="No download data yet">{missing}</EmptyState>
      ) : (
        <>
          <p class="chart-caption">
            {result.metric} {UNIT[result.bucket]}, {result.from} to {result.to}
          </p>
          <div class="chart-frame">
            <canvas data-series={JSON.stringify(data)} role="img" aria-label={`${title}: line chart; the table below has the values`} />
          </div>
          <SeriesTable result={result} />
          <SourceNote source={sourceLabel(result)} fetchedAt={result.fetchedAt} />
          <p class="chart-links">
            Data: <a href={`/api/frameworks/${slug}/series?metric=${result.metric}&range=${result.range}`}>JSON</a>
          </p>
        </>
      )}
    </section>
  )
}

function sourceLabel(result: SeriesResult): string {
  return result.series.map((s) => `${s.source} (${s.subject})`).join(', ')
}

function SeriesTable({ result }: { result: SeriesResult }) {
  const rows = [...result.series.flatMap((s) => s.points.map((p) => ({ ...p, label: `${s.source} · ${s.subject}` })))].reverse()
  return (
    <details class="data-table">
      <summary>Data table ({rows.length} rows)</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{result.bucket === 'day' ? 'Day' : `${result.bucket} starting`}</th>
            <th scope="col">Series</th>
            <th scope="col" class="num">
              {result.metric}
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

/** Chart.js line data: one dataset per (source, package), labelled with both. */
export function chartData(result: SeriesResult) {
  const labels = [...new Set(result.series.flatMap((s) => s.points.map((p) => p.day)))].sort()
  const datasets = result.series.map((s) => {
    const byDay = new Map(s.points.map((p) => [p.day, p.value]))
    return { label: `${s.subject} (${s.source})`, data: labels.map((day) => byDay.get(day) ?? null) }
  })
  return { labels, datasets }
}

