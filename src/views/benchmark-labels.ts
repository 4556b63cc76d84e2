import type { BenchmarkRun } from '../db/queries/benchmarks.js'
import type { BenchmarkSource } from '../db/schema.js'

/** TFB's test types, fortunes first (the most realistic), plaintext last (pipelined). */
export const TFB_TESTS: { type: string; title: string; what: string }[] = [
  {
    type: 'fortune',
    title: 'Fortunes',
    what: 'rows read through the ORM, sorted, and rendered by a server-side template with escaping: the most realistic test.',
  },
  {
    type: 'db',
    title: 'Single query',
    what: 'one random row read from the database and returned as JSON.',
  },
  {
    type: 'query',
    title: 'Multiple queries',
    what: 'several rows read one query at a time; the figure is at the highest query count.',
  },
  {
    type: 'cached-query',
    title: 'Cached queries',
    what: 'rows served from an in-memory cache; the figure is at the highest count.',
  },
  {
    type: 'update',
    title: 'Data updates',
    what: 'rows read and written back one by one; the figure is at the highest count.',
  },
  {
    type: 'json',
    title: 'JSON serialization',
    what: 'a small object serialized to JSON, no database.',
  },
  {
    type: 'plaintext',
    title: 'Plaintext (pipelined)',
    what: '“Hello, World!” with HTTP pipelining, 16 requests per packet: never compare these figures with the other tests.',
  },
]

export const SOURCES: Record<
  BenchmarkSource,
  { title: string; href: string; method: (run: BenchmarkRun) => string }
> = {
  techempower: {
    title: 'TechEmpower Framework Benchmarks',
    href: 'https://www.techempower.com/benchmarks/',
    method: (run) =>
      `Requests/s as TFB's own tooling computes them: successful requests (total minus 5xx responses) at the best ` +
      `concurrency level (for multiple queries, cached queries and updates: at the last, highest query count), divided ` +
      `by the run's configured duration of ${run.duration_s ?? '?'} s. Ranks count every implementation in the run that ` +
      `completed the test, as TFB ranks each implementation separately.`,
  },
  'the-benchmarker': {
    title: 'the-benchmarker/web-frameworks',
    href: 'https://github.com/the-benchmarker/web-frameworks',
    method: () =>
      'Requests/s as the project reports them (wrk, total_requests_per_s) for its “hello world”-style routes at each ' +
      'number of concurrent connections, with latency percentiles from the same run; ranks count every framework in the ' +
      'run that has a figure at that level.',
  },
}

/** "express-postgres (full ORM, postgres, nginx)": a variant and what sets it apart. */
export function describeVariant(variant: string, metadata: Record<string, unknown>): string {
  // TFB's orm values: Full, Micro, Raw (SQL without an ORM), or none without a database.
  const orm =
    metadata.orm === 'raw'
      ? 'raw SQL'
      : typeof metadata.orm === 'string' && !['none', ''].includes(metadata.orm)
        ? `${metadata.orm} ORM`
        : null
  const parts = [orm, metadata.database, metadata.webserver, metadata.classification].filter(
    (p): p is string => typeof p === 'string' && p !== '' && p.toLowerCase() !== 'none',
  )
  return parts.length > 0 ? `${variant} (${parts.join(', ')})` : variant
}

/** The day a run finished (or was imported), for "Round 23, 2025-02-24"-style labels. */
export function runDay(run: Pick<BenchmarkRun, 'completed_at' | 'imported_at'>): string {
  return (run.completed_at ?? run.imported_at).toISOString().slice(0, 10)
}
