import type { Db } from '../database.js'
import type { BenchmarkResultRow, BenchmarkRunRow, BenchmarkSource } from '../schema.js'

/** A run without its bookkeeping columns, as pages name it. */
export type BenchmarkRun = Omit<BenchmarkRunRow, 'sha256' | 'bytes' | 'listed_as'>

/** A tracked framework's result, with the framework's catalog name. */
export type BenchmarkFigure = Pick<
  BenchmarkResultRow,
  | 'run_id'
  | 'test_type'
  | 'variant'
  | 'metadata'
  | 'version'
  | 'represents'
  | 'requests_per_s'
  | 'concurrency'
  | 'queries'
  | 'latency_avg_ms'
  | 'latency_p50_ms'
  | 'latency_p99_ms'
  | 'rank'
  | 'out_of'
> & { slug: string; framework_name: string }

const RUN_COLUMNS = [
  'id',
  'source',
  'run_key',
  'name',
  'uuid',
  'environment',
  'hardware',
  'started_at',
  'completed_at',
  'commit',
  'url',
  'duration_s',
  'levels',
  'imported_at',
] as const

/** Whether a configured file (or the file it names) was imported already: it is never fetched again. */
export async function importedFrom(
  db: Db,
  source: BenchmarkSource,
  location: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('benchmark_runs')
    .select('id')
    .where('source', '=', source)
    .where((eb) => eb.or([eb('url', '=', location), eb('listed_as', '=', location)]))
    .executeTakeFirst()
  return row !== undefined
}

export async function hasBenchmarkRun(
  db: Db,
  source: BenchmarkSource,
  runKey: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('benchmark_runs')
    .select('id')
    .where('source', '=', source)
    .where('run_key', '=', runKey)
    .executeTakeFirst()
  return row !== undefined
}

/** Every imported run, newest first per source (by the run's own date, then import order). */
export async function benchmarkRuns(db: Db): Promise<BenchmarkRun[]> {
  return db
    .selectFrom('benchmark_runs')
    .select(RUN_COLUMNS)
    .orderBy('source')
    .orderBy('completed_at', (ob) => ob.desc().nullsLast())
    .orderBy('id', 'desc')
    .execute()
}

function figures(db: Db) {
  return db
    .selectFrom('benchmark_results as r')
    .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
    .select([
      'r.run_id',
      'f.slug',
      'f.name as framework_name',
      'r.test_type',
      'r.variant',
      'r.metadata',
      'r.version',
    ])
    .select([
      'r.represents',
      'r.requests_per_s',
      'r.concurrency',
      'r.queries',
      'r.latency_avg_ms',
      'r.latency_p50_ms',
    ])
    .select(['r.latency_p99_ms', 'r.rank', 'r.out_of'])
    .where('f.tracked', '=', true)
}

/** The tracked frameworks' results in one run: representative variants only, or all of them. */
export async function runFigures(
  db: Db,
  runId: number,
  options: { allVariants: boolean },
): Promise<BenchmarkFigure[]> {
  let query = figures(db).where('r.run_id', '=', runId)
  if (!options.allVariants) query = query.where('r.represents', '=', true)
  return query
    .orderBy('r.test_type')
    .orderBy('r.requests_per_s', (ob) => ob.desc().nullsLast())
    .orderBy('r.variant')
    .orderBy('r.concurrency')
    .execute()
}

export type HistoryFigure = BenchmarkFigure & { source: BenchmarkSource }

/** One framework's representative results in every run, oldest run first, for change over time. */
export async function frameworkBenchmarkHistory(
  db: Db,
  frameworkId: number,
): Promise<HistoryFigure[]> {
  return figures(db)
    .innerJoin('benchmark_runs as b', 'b.id', 'r.run_id')
    .select('b.source')
    .where('r.framework_id', '=', frameworkId)
    .where('r.represents', '=', true)
    .orderBy('b.completed_at', (ob) => ob.asc().nullsFirst())
    .orderBy('b.id')
    .orderBy('r.test_type')
    .orderBy('r.concurrency')
    .execute()
}

export interface SourceRun {
  run: BenchmarkRun
  figures: BenchmarkFigure[]
}

/** /benchmarks: every run, and the newest run of each source with its tracked frameworks' figures. */
export async function benchmarksOverview(db: Db, options: { allVariants: boolean }) {
  const runs = await benchmarkRuns(db)
  const newest = async (source: BenchmarkSource): Promise<SourceRun | undefined> => {
    const run = runs.find((r) => r.source === source)
    return run && { run, figures: await runFigures(db, run.id, options) }
  }
  const [techempower, benchmarker] = await Promise.all([
    newest('techempower'),
    newest('the-benchmarker'),
  ])
  return { runs, techempower, benchmarker }
}

/** A framework page's benchmark section: its representative figures in every run, and the runs. */
export async function frameworkBenchmarks(db: Db, frameworkId: number) {
  const [history, runs] = await Promise.all([
    frameworkBenchmarkHistory(db, frameworkId),
    benchmarkRuns(db),
  ])
  return { history, runs }
}
export type FrameworkBenchmarks = Awaited<ReturnType<typeof frameworkBenchmarks>>
