import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { insertBenchmarkRun } from '../db/benchmark-writes.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { frameworkIds } from '../db/queries/frameworks.js'
import type { BenchmarkSource } from '../db/schema.js'
import { bumpDataVersion, type Executor } from '../db/writes.js'
import { SourceError } from './errors.js'
import type { HttpClient, Validators } from './http.js'
import { describeError, type RunContext, type SubjectResult } from './run-source.js'
import type { ParsedRun } from './sources/benchmark.js'

export interface BenchmarkJobOptions {
  locations: string[]
  maxBodyBytes: number
  /**
   * Read at each run rather than taken from the run context: a run is imported once, so it is
   * matched against the whole catalog even when `npm run sync -- --framework` narrows the others.
   */
  catalogFile: string
}

export interface ImportOutcome {
  rowsWritten: number
  /** Nothing new: already imported, 304 Not Modified, or not published yet. */
  skipped: number
}

export const SKIPPED: ImportOutcome = { rowsWritten: 0, skipped: 1 }

/**
 * One job_runs row per job run, like the guide's. Each configured location is imported in its own
 * transaction: one failing never stops the others or leaves a partial run; every failure is named
 * in the row's error, and the job never throws.
 */
export async function runBenchmarkJob(
  ctx: RunContext,
  source: BenchmarkSource,
  locations: string[],
  importOne: (location: string) => Promise<ImportOutcome>,
): Promise<SubjectResult[]> {
  const runId = await startRun(ctx.db, { job: source, source, frameworkId: null })
  let rowsWritten = 0
  let skipped = 0
  const errors: string[] = []
  for (const location of locations) {
    try {
      const outcome = await importOne(location)
      rowsWritten += outcome.rowsWritten
      skipped += outcome.skipped
    } catch (error) {
      errors.push(describeError(error))
      ctx.log.warn({ source, location, err: errors.at(-1) }, 'benchmark import failed')
    }
  }
  const error = errors.length > 0 ? errors.join('\n') : undefined
  const status = error ? 'failed' : 'succeeded'
  await finishRun(ctx.db, runId, {
    status,
    rowsWritten,
    notModified: skipped,
    error: error ?? null,
  })
  ctx.log.info({ source, rowsWritten, skipped, failed: errors.length }, 'benchmark import finished')
  const result: SubjectResult = {
    source,
    framework: '*',
    status,
    rowsWritten,
    notModified: skipped,
    ...(error ? { error } : {}),
  }
  ctx.onResult?.(result, 1, 1)
  return [result]
}

export interface Document {
  /** Where the text came from: the URL, or the local path as configured. */
  url: string
  text: string
  validators: Validators | null
}

/** An http(s) URL through the shared client (timeout, size cap, retries), or a local file. */
export async function loadDocument(
  http: HttpClient,
  source: BenchmarkSource,
  location: string,
  options: { maxBytes: number; validators?: Validators | undefined },
): Promise<Document | null> {
  if (/^https?:\/\//i.test(location)) {
    const response = await http.getText({
      url: location,
      framework: null,
      validators: options.validators,
    })
    return response.notModified
      ? null
      : { url: location, text: response.body, validators: response.validators }
  }
  const path = location.startsWith('file://') ? fileURLToPath(location) : location
  try {
    const { size } = await stat(path)
    if (size > options.maxBytes) {
      const detail = `${location} is ${size} bytes, over the ${options.maxBytes}-byte limit`
      throw new SourceError(source, null, detail)
    }
    return { url: location, text: await readFile(path, 'utf8'), validators: null }
  } catch (cause) {
    if (cause instanceof SourceError) throw cause
    throw new SourceError(
      source,
      null,
      `cannot read ${location}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      { cause },
    )
  }
}

/**
 * Stores a parsed run with its results, in one transaction with `alsoInTransaction` (validators):
 * returns the results written, or null when the run was imported before (nothing written).
 */
export async function storeRun(
  ctx: RunContext,
  parsed: ParsedRun,
  file: { document: Document; listedAs: string },
  alsoInTransaction?: (trx: Executor, now: Date) => Promise<void>,
): Promise<number | null> {
  const ids = await frameworkIds(ctx.db)
  const now = ctx.now?.() ?? new Date()
  const { text, url } = file.document
  const run = {
    ...parsed.run,
    levels: JSON.stringify(parsed.run.levels),
    url,
    listed_as: file.listedAs,
    sha256: sha256Of(text),
    bytes: Buffer.byteLength(text),
    imported_at: now,
  }
  const results = parsed.results.map(({ slug, metadata, raw, ...result }) => ({
    ...result,
    framework_id: slug === null ? null : (ids.get(slug) ?? null),
    metadata: JSON.stringify(metadata),
    raw: JSON.stringify(raw),
  }))
  return ctx.db.transaction().execute(async (trx) => {
    const written = await insertBenchmarkRun(trx, run, results)
    await alsoInTransaction?.(trx, now)
    if (written !== null) await bumpDataVersion(trx)
    return written
  })
}

/** The digest a file without a uuid is known by (TFB files before March 2017). */
export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex')
