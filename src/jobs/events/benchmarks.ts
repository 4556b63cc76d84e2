import type { BenchmarkRankFact, BenchmarkRunFact, FrameworkName } from '../../db/queries/events.js'
import type { BenchmarkSource } from '../../db/schema.js'
import { oneLine } from '../../xml-text.js'
import type { EventDraft } from '../events.js'
import { escapeHtml, formatCount, paragraph } from './event-html.js'
import { groupBy } from '../../group-by.js'

// TFB's test types in the order /benchmarks shows them: fortunes, the most realistic, first.
const TFB_TESTS: Record<string, string> = {
  fortune: 'fortunes',
  db: 'single query',
  query: 'multiple queries',
  'cached-query': 'cached queries',
  update: 'data updates',
  json: 'JSON serialization',
  plaintext: 'plaintext',
}
const TFB_ORDER = Object.keys(TFB_TESTS)

const SOURCE_TITLES: Record<BenchmarkSource, string> = {
  techempower: 'TechEmpower Framework Benchmarks',
  'the-benchmarker': 'the-benchmarker/web-frameworks',
}

/** A test's figure in some run. */
interface Seen {
  run: BenchmarkRunFact
  result: BenchmarkRankFact
}

/** One test's figure in a run, and the same test's in the last earlier run of the source that has it. */
interface Test {
  now: BenchmarkRankFact
  before: Seen | null
}
type Compared = Test & { before: Seen }

/** A run's own date (every one stored, so stable): when it completed, started, or was imported. */
const runDate = (run: BenchmarkRunFact): Date =>
  run.completed_at ?? run.started_at ?? run.imported_at

/** TechEmpower runs by their name ("TechEmpower Round 23"); the-benchmarker names its by date alone. */
export function runLabel(run: BenchmarkRunFact): string {
  if (run.source === 'the-benchmarker') return `the-benchmarker run of ${day(run)}`
  return /^techempower\b/i.test(run.name) ? run.name : `TechEmpower ${run.name}`
}

/**
 * One event per run and tracked framework with ranked results in it: its first results from that
 * source, or the ranks that moved since the source's earlier runs (none moved: no event). Runs
 * are compared only with runs of the same source, in the order of their own dates, so importing
 * an old round late neither re-dates nor rewrites an event already stored (its id is known).
 */
export function benchmarkEvents(
  frameworks: Map<number, FrameworkName>,
  runs: BenchmarkRunFact[],
  results: BenchmarkRankFact[],
): EventDraft[] {
  const byRun = groupBy(results, (r) => r.run_id)
  const sources = [...new Set(runs.map((r) => r.source))].sort()
  return sources.flatMap((source) => {
    const ordered = runs
      .filter((r) => r.source === source)
      .sort((a, b) => runDate(a).getTime() - runDate(b).getTime() || a.id - b.id)
    // Per framework, the newest earlier figure of each test.
    const last = new Map<number, Map<string, Seen>>()
    const drafts: EventDraft[] = []
    for (const run of ordered) {
      const own = groupBy(byRun.get(run.id) ?? [], (r) => r.framework_id)
      for (const frameworkId of [...own.keys()].sort((a, b) => a - b)) {
        const framework = frameworks.get(frameworkId)
        const cells = rankedCells(source, own.get(frameworkId)!)
        if (!framework || cells.size === 0) continue
        const seen = last.get(frameworkId)
        const tests = [...cells].map(([key, now]) => ({ now, before: seen?.get(key) ?? null }))
        tests.sort((a, b) => pageOrder(a.now, b.now))
        const draft = seen ? movedEvent(framework, run, tests) : firstEvent(framework, run, tests)
        if (draft) drafts.push(draft)
        const history = seen ?? new Map<string, Seen>()
        for (const [key, result] of cells) history.set(key, { run, result })
        last.set(frameworkId, history)
      }
    }
    return drafts
  })
}

/**
 * The results that have a rank, one per test. TFB ranks each test type over the whole run at
 * whichever load level gave the figure (a level that changes between runs), the-benchmarker
 * ranks per connection level. Two TFB names of one framework (an edited catalog) keep the better.
 */
function rankedCells(
  source: BenchmarkSource,
  results: BenchmarkRankFact[],
): Map<string, BenchmarkRankFact> {
  const cells = new Map<string, BenchmarkRankFact>()
  for (const result of results) {
    if (result.rank === null) continue
    const key =
      source === 'techempower' ? result.test_type : `${result.test_type}\u0000${result.concurrency}`
    const kept = cells.get(key)
    if (!kept || result.rank < kept.rank!) cells.set(key, result)
  }
  return cells
}

function firstEvent(framework: FrameworkName, run: BenchmarkRunFact, tests: Test[]): EventDraft {
  const { now } = tests[0]!
  const label = runLabel(run)
  const others = tests.length > 1 ? `; ${tests.length} tests in all` : ''
  const summary =
    `First results for ${framework.name} in ${label} (${day(run)}): ` +
    `${rankOf(now)} ${where(run, now)}, ${rps(now)}${others}.`
  return draft(framework, run, tests, null, {
    title: `${framework.name} in ${label}: ${rankOf(now)} ${where(run, now)}`,
    summary,
  })
}

function movedEvent(
  framework: FrameworkName,
  run: BenchmarkRunFact,
  tests: Test[],
): EventDraft | null {
  const moved = tests.filter(
    (t): t is Compared => t.before !== null && t.before.result.rank !== t.now.rank,
  )
  if (moved.length === 0) return null
  const move = (t: Compared) => Math.abs(t.before.result.rank! - t.now.rank!)
  // The biggest move names the event; on a tie, the first test in page order.
  const { now, before } = moved.reduce((best, t) => (move(t) > move(best) ? t : best))
  const label = runLabel(run)
  const summary =
    `In ${label} (${day(run)}), ${framework.name} moved from #${before.result.rank} to ${rankOf(now)} ` +
    `${where(run, now)}, against ${runLabel(before.run)}; ` +
    `${moved.length} of ${tests.length} tests changed rank.`
  return draft(framework, run, tests, before.run, {
    title: `${framework.name} moved from #${before.result.rank} to #${now.rank} ${where(run, now)} (${label})`,
    summary,
  })
}

function draft(
  framework: FrameworkName,
  run: BenchmarkRunFact,
  tests: Test[],
  against: BenchmarkRunFact | null,
  text: { title: string; summary: string },
): EventDraft {
  const summary = oneLine(text.summary, 400)
  const scope = run.source === 'techempower' ? 'test type' : 'connection level'
  const source =
    `Source: ${SOURCE_TITLES[run.source]}, ${runLabel(run)}. Ranks count every implementation with a ` +
    `result in the run, per ${scope}; each figure is of the variant that represents ${framework.name}.`
  return {
    id: `benchmark:${run.source}:${run.run_key}:${framework.slug}`,
    framework_id: framework.id,
    kind: 'benchmark',
    occurred_at: runDate(run),
    title: oneLine(text.title, 200),
    summary,
    content_html:
      paragraph(summary) +
      `<ul>${tests.map((t) => `<li>${escapeHtml(testLine(run, t, against))}</li>`).join('')}</ul>` +
      paragraph(source),
    // The feed links it to the framework's page, whose Benchmarks section shows every run.
    url: null,
    data: {
      source: run.source,
      run_key: run.run_key,
      run_name: run.name,
      first: tests.every((t) => t.before === null),
      tests: tests.map(({ now, before }) => ({
        ...figures(now),
        previous: before && {
          run_key: before.run.run_key,
          run_name: before.run.name,
          ...figures(before.result),
        },
      })),
    },
  }
}

/**
 * "Fortunes: #120 of 440 → #95 of 450, up 25 places; 11,000 → 12,345 requests/s (express-postgres)";
 * a figure compared with another run than the summary names says which.
 */
function testLine(
  run: BenchmarkRunFact,
  { now, before }: Test,
  against: BenchmarkRunFact | null,
): string {
  const name = testName(run, now)
  const head = name.charAt(0).toUpperCase() + name.slice(1)
  if (!before) {
    return `${head}: ${rankOf(now)}, ${rps(now)} (${now.variant}${against ? '; no earlier result' : ''})`
  }
  const was = before.result
  const ranks = `${rankOf(was)} → ${rankOf(now)}${movement(was.rank!, now.rank!)}`
  const speeds = `${figure(was.requests_per_s)} → ${rps(now)}`
  const other = before.run.id === against?.id ? '' : `; before: ${runLabel(before.run)}`
  return `${head}: ${ranks}; ${speeds} (${now.variant}${other})`
}

function movement(before: number, after: number): string {
  if (before === after) return ', unchanged'
  const places = Math.abs(before - after)
  return `, ${after < before ? 'up' : 'down'} ${places} place${places === 1 ? '' : 's'}`
}

const testName = (run: BenchmarkRunFact, r: BenchmarkRankFact): string =>
  run.source === 'techempower' ? (TFB_TESTS[r.test_type] ?? r.test_type) : `${r.concurrency} connections`
const where = (run: BenchmarkRunFact, r: BenchmarkRankFact): string =>
  `${run.source === 'techempower' ? 'in' : 'at'} ${testName(run, r)}`
const rankOf = (r: BenchmarkRankFact): string =>
  `#${r.rank}${r.out_of === null ? '' : ` of ${formatCount(r.out_of)}`}`
const figure = (n: number | null): string => (n === null ? 'not measured' : formatCount(n))
const rps = (r: BenchmarkRankFact): string => `${figure(r.requests_per_s)} requests/s`
const day = (run: BenchmarkRunFact): string => runDate(run).toISOString().slice(0, 10)
const testIndex = (r: BenchmarkRankFact): number => {
  const i = TFB_ORDER.indexOf(r.test_type)
  return i === -1 ? TFB_ORDER.length : i
}
/** TFB's tests as /benchmarks lists them (others after, by name); the-benchmarker's levels, lowest first. */
const pageOrder = (a: BenchmarkRankFact, b: BenchmarkRankFact): number =>
  testIndex(a) - testIndex(b) ||
  (a.test_type < b.test_type ? -1 : a.test_type > b.test_type ? 1 : 0) ||
  a.concurrency - b.concurrency

const figures = (r: BenchmarkRankFact) => ({
  test_type: r.test_type,
  concurrency: r.concurrency,
  variant: r.variant,
  rank: r.rank,
  out_of: r.out_of,
  requests_per_s: r.requests_per_s,
})
