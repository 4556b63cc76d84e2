import { benchmarkSection } from '../../claims/benchmarks.js'
import type { BenchmarkFigure, BenchmarkRun } from '../../db/queries/benchmarks.js'
import { describeVariant, TFB_TESTS } from '../benchmark-labels.js'
import { formatNumber } from '../format.js'
import { BarChart } from './bar-chart.js'
import { BenchTable, num } from './bench-table.js'
import { BenchmarkRunNote } from './benchmark-run-note.js'
import { EmptyState } from './empty-state.js'

export interface TrackedName {
  slug: string
  name: string
}

/** One source's newest run, and the tracked frameworks to say which are missing from it. */
export interface ResultsProps {
  run: BenchmarkRun
  figures: BenchmarkFigure[]
  frameworks: TrackedName[]
  allVariants: boolean
}

/** One TFB run: a chart and a table per test type, fortunes first; plaintext stands apart. */
export function TfbResults({ run, figures, frameworks, allVariants }: ResultsProps) {
  return (
    <>
      <BenchmarkRunNote run={run} />
      {TFB_TESTS.map((test) => (
        <TfbTest
          test={test}
          rows={figures.filter((f) => f.test_type === test.type)}
          frameworks={frameworks}
          allVariants={allVariants}
        />
      ))}
    </>
  )
}

function TfbTest({
  test,
  rows,
  frameworks,
  allVariants,
}: {
  test: (typeof TFB_TESTS)[number]
  rows: BenchmarkFigure[]
  frameworks: TrackedName[]
  allVariants: boolean
}) {
  const id = benchmarkSection('techempower', test.type)
  const missing = frameworks.filter((f) => !rows.some((r) => r.slug === f.slug))
  const label = (r: BenchmarkFigure) =>
    allVariants ? `${r.framework_name} · ${r.variant}` : r.framework_name
  return (
    <section
      class={`chart-block bench-test${test.type === 'plaintext' ? ' pipelined' : ''}`}
      aria-labelledby={id}
    >
      <h3 id={id}>{test.title}</h3>
      <p class="muted">{test.what}</p>
      {rows.length === 0 ? (
        <EmptyState title={`No tracked framework has a ${test.title} result in this run.`} />
      ) : (
        <>
          <BarChart
            title={`${test.title}, requests per second`}
            data={{
              labels: rows.map(label),
              datasets: [{ label: 'Requests/s', data: rows.map((r) => rounded(r.requests_per_s)) }],
            }}
          />
          <TfbTable rows={rows} type={test.type} />
        </>
      )}
      {missing.length > 0 && (
        <p class="muted">No result in this run: {missing.map((f) => f.name).join(', ')}.</p>
      )}
    </section>
  )
}

const COLUMNS = ['Framework', 'Variant', num('Requests/s'), num('Rank'), num('Avg latency'), 'At']

function TfbTable({ rows, type }: { rows: BenchmarkFigure[]; type: string }) {
  return (
    <BenchTable columns={COLUMNS}>
      {rows.map((r) => (
        <tr>
          <td>
            <a href={`/frameworks/${r.slug}`}>{r.framework_name}</a>
          </td>
          <td>{describeVariant(r.variant, r.metadata)}</td>
          <td class="num">
            {r.requests_per_s === null ? '–' : formatNumber(Math.round(r.requests_per_s))}
          </td>
          <td class="num">{rankText(r)}</td>
          <td class="num">{formatMs(r.latency_avg_ms)}</td>
          <td>{loadText(r, type)}</td>
        </tr>
      ))}
    </BenchTable>
  )
}

export const rounded = (n: number | null) => (n === null ? null : Math.round(n))

/** "#12 of 390", or why there is no rank. */
export function rankText(r: Pick<BenchmarkFigure, 'rank' | 'out_of' | 'requests_per_s'>): string {
  if (r.rank !== null && r.out_of !== null) return `#${r.rank} of ${r.out_of}`
  return (r.requests_per_s ?? 0) > 0 ? '–' : 'failed (no successful requests)'
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–'
  return ms >= 100 ? `${formatNumber(Math.round(ms))} ms` : `${ms.toFixed(2)} ms`
}

/** The load level the figure was taken at. */
export function loadText(
  r: Pick<BenchmarkFigure, 'concurrency' | 'queries'>,
  type: string,
): string {
  if (r.queries !== null) return `${r.queries} queries per request, ${r.concurrency} connections`
  return `${r.concurrency} connections${type === 'plaintext' ? ', pipelined' : ''}`
}
