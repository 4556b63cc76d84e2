import { COMPARE_METRICS, SMOOTHINGS, VIEWS, compareSearch } from '../../compare/options.js'
import type { CompareSeries } from '../../compare/transform.js'
import type { CompareResult } from '../../db/queries/compare.js'
import { formatNumber } from '../format.js'
import { EmptyState } from './empty-state.js'
import { SourceNote } from './source-note.js'

export const REGISTRY_CAVEAT =
  'Registries count differently (npm counts tarball fetches, PyPI file downloads without mirrors, RubyGems, NuGet, Packagist and Hex their own totals) and CI systems and mirrors inflate all of them: each line names its registry, and lines from different registries are never added together.'

/** "Express · express (npm)": the legend always names the registry. */
export function seriesLabel(s: CompareSeries): string {
  return `${s.frameworkName} · ${s.subject} (${s.source})`
}

function unitOf(result: CompareResult): string {
  const { metric, view } = result.state
  if (view === 'indexed') return 'index, 100 at the first point of the range'
  if (view === 'share') return metric === 'downloads' ? '% of the shown frameworks’ downloads on the same registry' : '% of the shown frameworks’ total'
  const unit = COMPARE_METRICS[metric].unit
  if (metric === 'downloads' || metric === 'star_growth') return `${unit} per ${result.bucket === 'week' ? 'week (Monday to Sunday; incomplete weeks left out)' : 'day'}`
  return `${unit}${result.bucket === 'week' ? ', last value of each week' : ''}`
}

/** The chart, its text alternative and downloads: the /compare page's body and its htmx fragment. */
export function CompareChart({ result }: { result: CompareResult }) {
  const { state, series } = result
  const search = compareSearch(state)
  const labels = [...new Set(series.flatMap((s) => s.points.map((p) => p.day)))].sort()
  const data = {
    labels,
    datasets: series.map((s) => {
      const byDay = new Map(s.points.map((p) => [p.day, round(p.value)]))
      return { label: seriesLabel(s), data: labels.map((d) => byDay.get(d) ?? null) }
    }),
  }
  const title = `${COMPARE_METRICS[state.metric].label}: ${VIEWS[state.view].toLowerCase()}${state.smooth === 'none' ? '' : `, ${SMOOTHINGS[state.smooth]}`}`
  return (
    <section id="compare-chart" class="chart-block" aria-labelledby="compare-chart-title" aria-live="polite">
      <h2 id="compare-chart-title">{title}</h2>
      {state.fw.length === 0 ? (
        <EmptyState title="No framework chosen">Tick one or more frameworks above.</EmptyState>
      ) : series.length === 0 ? (
        <EmptyState title={`No ${COMPARE_METRICS[state.metric].label.toLowerCase()} stored for the chosen frameworks`}>
          Either the source has not been synced yet (see the status page) or it publishes no such figure for them (Maven Central publishes no download counts).
        </EmptyState>
      ) : (
        <>
          <p class="chart-caption">
            {unitOf(result)}, {result.from} to {result.to}
          </p>
          <div class="chart-frame">
            <canvas data-series={JSON.stringify(data)} data-scale={state.view === 'log' ? 'log' : 'linear'} role="img" aria-label={`${title}: line chart; the table below has the values`} />
          </div>
          {state.metric === 'downloads' && <p class="caveat">{REGISTRY_CAVEAT}</p>}
          {(state.metric === 'stars_retained' || state.metric === 'star_growth') && (
            <p class="caveat">Retained stars count only stars that still exist, by the day they were given: unstars are invisible, so past totals are undercounted.</p>
          )}
          <CompareTable labels={labels} series={series} />
          {series.map((s) => (
            <SourceNote source={`${s.source} (${s.subject})`} fetchedAt={s.fetchedAt} />
          ))}
        </>
      )}
      <p class="chart-links">
        Data: <a href={`/compare.csv?${search}`}>CSV</a>, <a href={`/compare.json?${search}`}>JSON</a>
      </p>
    </section>
  )
}

function CompareTable({ labels, series }: { labels: string[]; series: CompareSeries[] }) {
  const maps = series.map((s) => new Map(s.points.map((p) => [p.day, p.value])))
  return (
    <details class="data-table">
      <summary>Data table ({labels.length} rows)</summary>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th scope="col" class="num">
                  {seriesLabel(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...labels].reverse().map((day) => (
              <tr>
                <td>{day}</td>
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
