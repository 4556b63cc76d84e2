import { absentWhy, compareNotes, type ChartResult } from '../../compare/notes.js'
import { appliedSmoothing, COMPARE_CHOICES, SMOOTHINGS, VIEWS, compareSearch, isReleaseMetric } from '../../compare/options.js'
import { quarterLabel } from '../../compare/quarters.js'
import type { CompareSeries } from '../../compare/transform.js'
import type { CompareResult } from '../../db/queries/compare.js'
import { formatNumber } from '../format.js'
import { inSentence } from '../../source-names.js'
import { sourceNames } from '../../source-names.js'
import { EmptyState } from './empty-state.js'
import { OnePointFigure } from './one-point-figure.js'
import { SourceNote } from './source-note.js'

export const REGISTRY_CAVEAT =
  'Registries count differently (npm counts tarball fetches, PyPI file downloads without mirrors, RubyGems, NuGet, Packagist and Hex their own totals) and CI systems and mirrors inflate all of them: each line names its registry, and lines from different registries are never added together.'

/** "Express · express (npm)": the legend always names the registry. */
export function seriesLabel(s: CompareSeries): string {
  return `${s.frameworkName} · ${s.subject} (${sourceNames(s.source)})`
}

function unitOf(result: CompareResult): string {
  const { metric, view } = result.state
  const per = result.bucket === 'quarter' ? 'calendar quarter (UTC)' : result.bucket === 'week' ? 'week (Monday to Sunday; incomplete weeks left out)' : 'day'
  if (view === 'indexed') return 'index, 100 at the first non-zero point of the range'
  if (view === 'share') {
    if (isReleaseMetric(metric)) return '% of the tracked frameworks’ stable releases that quarter'
    if (metric === 'downloads') return `% of the tracked frameworks’ downloads on the same registry, per ${per}`
    return `% of the tracked frameworks’ total on GitHub${result.bucket === 'week' ? ', per week' : ''}`
  }
  const unit = COMPARE_CHOICES[metric].unit
  if (metric === 'downloads' || metric === 'star_growth' || isReleaseMetric(metric)) return `${unit} per ${per}`
  return `${unit}${result.bucket === 'week' ? ', last value of each week' : ''}`
}

/** Chart labels and table rows: quarters read as "2026 Q3", days and weeks as their date. */
const labelOf = (result: CompareResult) => (day: string) => (result.bucket === 'quarter' ? quarterLabel(day) : day)

/** The chart, its text alternative and downloads: the /compare page's body and its htmx fragment. */
export function CompareChart({ result }: { result: ChartResult }) {
  const { state, series } = result
  const search = compareSearch(state)
  const label = labelOf(result)
  const days = [...new Set(series.flatMap((s) => s.points.map((p) => p.day)))].sort()
  // A one-point series is a figure, not a line: Chart.js would draw a lone dot or nothing.
  const lines = series.filter((s) => s.points.length > 1)
  const single = series.filter((s) => s.points.length === 1)
  const lineDays = [...new Set(lines.flatMap((s) => s.points.map((p) => p.day)))].sort()
  const data = {
    labels: lineDays.map(label),
    datasets: lines.map((s) => {
      const byDay = new Map(s.points.map((p) => [p.day, round(p.value)]))
      return { label: seriesLabel(s), data: lineDays.map((d) => byDay.get(d) ?? null) }
    }),
  }
  const smoothing = appliedSmoothing(state)
  const metricLabel = COMPARE_CHOICES[state.metric].label
  const title = `${metricLabel}: ${VIEWS[state.view].toLowerCase()}${smoothing === 'none' ? '' : `, ${SMOOTHINGS[smoothing]}`}`
  const notes = compareNotes(result)
  return (
    <section id="compare-chart" class="chart-block" aria-labelledby="compare-chart-title" aria-live="polite">
      <h2 id="compare-chart-title">{title}</h2>
      {state.fw.length === 0 ? (
        <EmptyState title="Choose at least one framework">Every framework is unticked: tick one or more above to draw a chart.</EmptyState>
      ) : series.length === 0 && result.absent.length === state.fw.length ? (
        <EmptyState title={`No ${inSentence(metricLabel)} stored for the chosen frameworks`}>
          {absentWhy(result).map((why) => (
            <p>{why}</p>
          ))}
        </EmptyState>
      ) : series.length === 0 ? (
        <EmptyState title="Nothing to draw in this view">
          {notes.length > 0 ? notes.map((n) => <p>{n}</p>) : <p>Every stored value in this range is 0: a log scale cannot show it and an index needs a non-zero start. The absolute view shows them.</p>}
        </EmptyState>
      ) : (
        <>
          <p class="chart-caption">
            {unitOf(result)}, {result.from && label(result.from)} to {result.to && label(result.to)}
          </p>
          {single.map((s) => (
            <OnePointFigure label={seriesLabel(s)} value={round(s.points[0]!.value)} at={label(s.points[0]!.day)} bucket={result.bucket} />
          ))}
          {lines.length > 0 && (
            <div class="chart-frame">
              <canvas data-series={JSON.stringify(data)} data-scale={state.view === 'log' ? 'log' : 'linear'} role="img" aria-label={`${title}: line chart; the table below has the values`} />
            </div>
          )}
          {notes.map((n) => (
            <p class="caveat">{n}</p>
          ))}
          {state.metric === 'downloads' && <p class="caveat">{REGISTRY_CAVEAT}</p>}
          {(state.metric === 'stars_retained' || state.metric === 'star_growth') && (
            <p class="caveat">Retained stars end at today's GitHub star count and count back from it; before a line's first day the history is not stored. They count only stars that still exist, by the day they were given: unstars are invisible, so past totals are undercounted.</p>
          )}
          <CompareTable days={days} label={label} heading={result.bucket === 'quarter' ? 'Quarter' : result.bucket === 'week' ? 'Week starting' : 'Day'} series={series} />
          {series.map((s) => (
            <SourceNote source={`${sourceNames(s.source)} (${s.subject})`} fetchedAt={s.fetchedAt} />
          ))}
        </>
      )}
      {state.fw.length > 0 && (
        <p class="chart-links">
          Data: <a href={`/compare.csv?${search}`}>CSV</a>, <a href={`/compare.json?${search}`}>JSON</a>
        </p>
      )}
    </section>
  )
}

function CompareTable({ days, label, heading, series }: { days: string[]; label: (day: string) => string; heading: string; series: CompareSeries[] }) {
  const maps = series.map((s) => new Map(s.points.map((p) => [p.day, p.value])))
  return (
    <details class="data-table">
      <summary>Data table ({days.length} rows)</summary>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{heading}</th>
              {series.map((s) => (
                <th scope="col" class="num">
                  {seriesLabel(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((day) => (
              <tr>
                <td>{label(day)}</td>
                {maps.map((m) => {
                  const v = m.get(day)
                  return <td class="num">{v === undefined ? '–' : formatNumber(round(v))}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}

/** Whole counts stay whole; means, indexes and shares keep two decimals. */
export function round(v: number): number {
  return Number.isInteger(v) ? v : Math.round(v * 100) / 100
}
