import type { BenchmarkSource, NewBenchmarkResult, NewBenchmarkRun } from '../../db/schema.js'
import { formatPath } from '../http.js'
import { SourceError } from '../errors.js'
import type { z } from 'zod'

/** A run as its file describes it; the job adds where it came from and when it was imported. */
export type RunDraft = Omit<
  NewBenchmarkRun,
  'url' | 'listed_as' | 'sha256' | 'bytes' | 'imported_at' | 'levels'
> & {
  source: BenchmarkSource
  levels: Record<string, number[]>
}

/** One result; `slug` is the catalog framework it belongs to (null: not tracked), resolved to an id on write. */
export type ResultDraft = Omit<
  NewBenchmarkResult,
  'run_id' | 'framework_id' | 'metadata' | 'raw'
> & {
  slug: string | null
  metadata: Record<string, unknown>
  raw: Record<string, unknown>
}

export interface ParsedRun {
  run: RunDraft
  results: ResultDraft[]
}

/** Parses JSON text or throws a SourceError naming the source and the file. */
export function parseJsonText(source: BenchmarkSource, origin: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new SourceError(source, null, `${origin}: malformed JSON: ${(cause as Error).message}`, {
      cause,
    })
  }
}

/** zod at the edge of a file: the first issue becomes "<source>: <file>: <field path>: <message>". */
export function parseShape<T extends z.ZodType>(
  source: BenchmarkSource,
  origin: string,
  schema: T,
  value: unknown,
  prefix: PropertyKey[] = [],
): z.infer<T> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const path = [...prefix, ...issue.path]
  throw new SourceError(
    source,
    null,
    `${origin}: ${path.length > 0 ? formatPath(path) : '(body)'}: ${issue.message}`,
    {
      cause: parsed.error,
    },
  )
}

/**
 * Competition ranks ("1224"), highest requests/s first, over every implementation given; results
 * without a positive figure get no rank and do not count in `out_of`.
 */
export function assignRanks(results: ResultDraft[]): void {
  const ranked = results.filter((r) => (r.requests_per_s ?? 0) > 0)
  ranked.sort((a, b) => b.requests_per_s! - a.requests_per_s!)
  ranked.forEach((result, i) => {
    const previous = ranked[i - 1]
    result.rank =
      previous && previous.requests_per_s === result.requests_per_s ? previous.rank! : i + 1
    result.out_of = ranked.length
  })
}
