import { benchmarkSection } from '../../claims/benchmarks.js'
import type { BenchmarkFigure } from '../../db/queries/benchmarks.js'
import { formatNumber } from '../format.js'
import { BarChart } from './bar-chart.js'
import { BenchTable, num } from './bench-table.js'
import { BenchmarkRunNote } from './benchmark-run-note.js'
import { EmptyState } from './empty-state.js'
import { formatMs, rounded, type ResultsProps } from './tfb-results.js'

const SECTION = benchmarkSection('the-benchmarker', 'hello-world')

/** One the-benchmarker run: requests/s per framework at each connection level, grouped bars. */
export function BenchmarkerResults({ run, figures, frameworks, allVariants }: ResultsProps) {
  const levels =
    run.levels.connections ?? [...new Set(figures.map((f) => f.concurrency))].sort((a, b) => a - b)
  const rows = variantsOf(figures)
  const missing = frameworks.filter((f) => !rows.some((r) => r.slug === f.slug))
  const at = (row: VariantRow, level: number) => row.byLevel.get(level)
  const label = (r: VariantRow) => (allVariants ? `${r.name} · ${r.variant}` : r.name)
  const columns = [
    'Framework',
    'Variant',
    'Version',
    ...levels.map((level) => num(`${level} conn.: req/s (rank) · p99`)),
  ]
  return (
    <>
      <BenchmarkRunNote run={run} />
      <section class="chart-block bench-test" aria-labelledby={SECTION}>
        <h3 id={SECTION}>Requests per second by concurrent connections</h3>
        {rows.length === 0 ? (
          <EmptyState title="No tracked framework is in this run." />
        ) : (
          <>
            <BarChart
              title="the-benchmarker, requests per second"
              data={{
                labels: rows.map(label),
                datasets: levels.map((level) => ({
                  label: `${level} connections`,
                  data: rows.map((r) => rounded(at(r, level)?.requests_per_s ?? null)),
                })),
              }}
            />
            <BenchTable columns={columns}>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/frameworks/${r.slug}`}>{r.name}</a>
                  </td>
                  <td>{r.variant}</td>
                  <td>{r.version ?? '–'}</td>
                  {levels.map((level) => (
                    <td class="num">{cell(at(r, level))}</td>
                  ))}
                </tr>
              ))}
            </BenchTable>
          </>
        )}
        {missing.length > 0 && (
          <p class="muted">Not in this run: {missing.map((f) => f.name).join(', ')}.</p>
        )}
      </section>
    </>
  )
}

function cell(f: BenchmarkFigure | undefined): string {
  if (!f || f.requests_per_s === null) return 'not measured'
  const rank = f.rank !== null ? ` (#${f.rank} of ${f.out_of})` : ''
  return `${formatNumber(Math.round(f.requests_per_s))}${rank} · ${formatMs(f.latency_p99_ms)}`
}

interface VariantRow {
  slug: string
  name: string
  variant: string
  version: string | null
  best: number
  byLevel: Map<number, BenchmarkFigure>
}

/** One row per (framework, variant), fastest first by its best level. */
function variantsOf(figures: BenchmarkFigure[]): VariantRow[] {
  const rows = new Map<string, VariantRow>()
  for (const f of figures) {
    const row = rows.get(f.variant) ?? {
      slug: f.slug,
      name: f.framework_name,
      variant: f.variant,
      version: f.version,
      best: 0,
      byLevel: new Map(),
    }
    row.byLevel.set(f.concurrency, f)
    row.best = Math.max(row.best, f.requests_per_s ?? 0)
    rows.set(f.variant, row)
  }
  return [...rows.values()].sort((a, b) => b.best - a.best)
}
