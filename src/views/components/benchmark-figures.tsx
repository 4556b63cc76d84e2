import type {
  BenchmarkRun,
  FrameworkBenchmarks,
  HistoryFigure,
} from '../../db/queries/benchmarks.js'
import type { BenchmarkSource } from '../../db/schema.js'
import { describeVariant, runDay, SOURCES, TFB_TESTS } from '../benchmark-labels.js'
import { formatNumber, formatPercent } from '../format.js'
import { BenchTable, num } from './bench-table.js'
import { EmptyState } from './empty-state.js'
import { Timestamp } from './source-note.js'
import { formatMs, loadText, rankText } from './tfb-results.js'

/** A framework page's "Benchmarks": its figures from each source's runs and the change between runs. */
export function BenchmarkFigures({
  name,
  benchmarks,
}: {
  name: string
  benchmarks: FrameworkBenchmarks
}) {
  const runs = new Map(benchmarks.runs.map((r) => [r.id, r]))
  return (
    <section aria-labelledby="benchmarks-title" class="benchmarks">
      <h2 id="benchmarks-title">Benchmarks</h2>
      {benchmarks.runs.length === 0 ? (
        <EmptyState title="No benchmark run imported yet.">
          The TechEmpower and the-benchmarker imports have stored nothing;{' '}
          <a href="/benchmarks">Benchmarks</a> says why.
        </EmptyState>
      ) : (
        (['techempower', 'the-benchmarker'] as const).map((source) => (
          <SourceFigures
            source={source}
            name={name}
            runs={runs}
            history={benchmarks.history.filter((h) => h.source === source)}
          />
        ))
      )}
      <p class="chart-links">
        Every tracked framework and variant: <a href="/benchmarks">Benchmarks</a>.
      </p>
    </section>
  )
}

interface SourceProps {
  source: BenchmarkSource
  name: string
  runs: Map<number, BenchmarkRun>
  history: HistoryFigure[]
}

function SourceFigures({ source, name, runs, history }: SourceProps) {
  const imported = [...runs.values()].filter((r) => r.source === source).length
  const tfb = source === 'techempower'
  // TFB: one row per test type (fortunes first); the-benchmarker: one per connection level.
  const groups = new Map<string, HistoryFigure[]>()
  for (const h of history) {
    const key = tfb ? h.test_type : String(h.concurrency)
    groups.set(key, [...(groups.get(key) ?? []), h])
  }
  const keys = tfb
    ? TFB_TESTS.map((t) => t.type).filter((t) => groups.has(t))
    : [...groups.keys()].sort((a, b) => Number(a) - Number(b))
  const newest = history.at(-1) && runs.get(history.at(-1)!.run_id)
  const columns = [
    tfb ? 'Test' : 'Connections',
    'Variant',
    num('Requests/s'),
    num('Rank'),
    num(tfb ? 'Avg latency' : 'p99 latency'),
    'At',
    'Change since the run before',
  ]
  return (
    <div class="bench-source">
      <h3>{SOURCES[source].title}</h3>
      {newest && (
        <p class="source-note">
          Source: {SOURCES[source].title}, run {runLabel(newest)}, imported <Timestamp at={newest.imported_at} />; method
          and every framework on <a href="/benchmarks">Benchmarks</a>.
        </p>
      )}
      {keys.length === 0 ? (
        <p class="figure-missing">
          {imported === 0
            ? 'No run imported yet.'
            : `None of the ${imported} imported run${imported === 1 ? '' : 's'} has a result for ${name}.`}
        </p>
      ) : (
        <BenchTable columns={columns}>
          {keys.map((key) => (
            <FigureRow entries={groups.get(key)!} runs={runs} tfb={tfb} newest={newest!} />
          ))}
        </BenchTable>
      )}
    </div>
  )
}

function FigureRow({
  entries,
  runs,
  tfb,
  newest,
}: {
  entries: HistoryFigure[]
  runs: Map<number, BenchmarkRun>
  tfb: boolean
  newest: BenchmarkRun
}) {
  const latest = entries.at(-1)!
  const previous = entries.at(-2)
  const run = runs.get(latest.run_id)!
  const title = tfb
    ? (TFB_TESTS.find((t) => t.type === latest.test_type)?.title ?? latest.test_type)
    : `${latest.concurrency}`
  return (
    <tr>
      <th scope="row">{title}</th>
      <td>
        {tfb ? describeVariant(latest.variant, latest.metadata) : latest.variant}
        {latest.version && ` ${latest.version}`}
      </td>
      <td class="num">
        {latest.requests_per_s === null
          ? 'not measured'
          : formatNumber(Math.round(latest.requests_per_s))}
      </td>
      <td class="num">{rankText(latest)}</td>
      <td class="num">{formatMs(tfb ? latest.latency_avg_ms : latest.latency_p99_ms)}</td>
      <td>
        {tfb && loadText(latest, latest.test_type)}
        {/* A figure the newest run lacks shows the last run that has it, named. */}
        {run.id !== newest.id && `${tfb ? ', ' : ''}in ${runLabel(run)}`}
      </td>
      <td>
        {previous ? (
          <Change latest={latest} previous={previous} run={runs.get(previous.run_id)!} />
        ) : (
          <span class="muted">only one run imported</span>
        )}
      </td>
    </tr>
  )
}

function Change({
  latest,
  previous,
  run,
}: {
  latest: HistoryFigure
  previous: HistoryFigure
  run: BenchmarkRun
}) {
  const [now, before] = [latest.requests_per_s, previous.requests_per_s]
  const ratio = now !== null && before !== null && before > 0 ? now / before - 1 : null
  const direction =
    ratio === null || ratio === 0 ? 'change-flat' : ratio > 0 ? 'change-up' : 'change-down'
  return (
    <span class={direction}>
      {ratio === null ? 'not comparable' : formatPercent(ratio)} vs {runLabel(run)}
      {previous.rank !== null &&
        latest.rank !== null &&
        `; rank #${previous.rank} → #${latest.rank}`}
      {previous.variant !== latest.variant && `; variant then: ${previous.variant}`}
    </span>
  )
}

/** "Round 23 (2025-02-24)", or just the name when it is the date. */
function runLabel(run: BenchmarkRun): string {
  return run.name.startsWith(runDay(run)) ? run.name : `${run.name} (${runDay(run)})`
}
