import type { CatalogEntry } from '../catalog/catalog.js'
import type { Db } from '../db/database.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { frameworkIdOf } from '../db/queries/frameworks.js'
import { latestDay, latestObservation, sourceState, validatorsFor } from '../db/queries/sync-state.js'
import { bumpDataVersion, saveSourceState, saveValidators, upsertObservations, upsertReleases } from '../db/writes.js'
import type { Logger } from '../logger.js'
import { RateLimitedError } from './errors.js'
import type { HttpClient } from './http.js'
import type { Collected, Source, SourceContext } from './sources/source.js'
import { toDay } from '../days.js'
import { jobDuration, jobRuns, rowsWritten as rowsWrittenTotal, sourceErrors } from '../telemetry.js'

export interface RunContext {
  db: Db
  catalog: CatalogEntry[]
  log: Logger
  http: (source: string) => HttpClient
  now?: () => Date
  /** Fetch full history again instead of only what is missing (`npm run sync -- --backfill`). */
  backfill?: boolean
  /** Aborted at shutdown: the framework in progress finishes, the rest wait for the next run. */
  signal?: AbortSignal
  /** Called once per framework as a source finishes it (progress bars). */
  onResult?: (result: SubjectResult, done: number, total: number) => void
}

export interface SubjectResult {
  source: string
  framework: string
  status: 'succeeded' | 'failed'
  rowsWritten: number
  notModified: number
  error?: string
}

/**
 * Runs one source for every framework that has identities on it. Each framework gets its own
 * job_runs row and its own transaction: one failing framework never stops or undoes the others.
 */
export async function runSource(ctx: RunContext, source: Source): Promise<SubjectResult[]> {
  const http = ctx.http(source.name)
  const results: SubjectResult[] = []
  let rateLimited: RateLimitedError | null = null
  const frameworks = ctx.catalog.filter((f) => source.subjects(f).length > 0)
  for (const framework of frameworks) {
    if (ctx.signal?.aborted) break
    const { result, error } = await runFramework(ctx, source, http, framework, rateLimited)
    // Once an upstream says "slow down", asking again for the next framework only digs deeper.
    if (error instanceof RateLimitedError) rateLimited = error
    results.push(result)
    ctx.onResult?.(result, results.length, frameworks.length)
  }
  if (http.rateLimit) await saveSourceState(ctx.db, source.name, 'rate_limit', http.rateLimit, ctx.now?.() ?? new Date())
  return results
}

/** One framework on one source: its own job_runs row, its own transaction, its own outcome. */
async function runFramework(
  ctx: RunContext,
  source: Source,
  http: HttpClient,
  framework: CatalogEntry,
  rateLimited: RateLimitedError | null,
): Promise<{ result: SubjectResult; error?: unknown }> {
  const frameworkId = await frameworkIdOf(ctx.db, framework.slug)
  const runId = await startRun(ctx.db, { job: source.name, source: source.name, frameworkId })
  const labels = { source: source.name }
  const stopTimer = jobDuration.startTimer(labels)
  const base = { source: source.name, framework: framework.slug }
  try {
    if (rateLimited) throw rateLimited
    const collected = await source.collect(framework, sourceContext(ctx, http, frameworkId, framework.slug, source.name))
    const rowsWritten = await store(ctx.db, { frameworkId, slug: framework.slug, source: source.name }, collected, ctx.now?.() ?? new Date())
    await finishRun(ctx.db, runId, { status: 'succeeded', rowsWritten, notModified: collected.notModified })
    rowsWrittenTotal.inc(labels, rowsWritten)
    jobRuns.inc({ ...labels, status: 'succeeded' })
    ctx.log.info({ ...base, rowsWritten }, 'source synced')
    return { result: { ...base, status: 'succeeded', rowsWritten, notModified: collected.notModified } }
  } catch (error) {
    const message = describeError(error)
    await finishRun(ctx.db, runId, { status: 'failed', error: message })
    jobRuns.inc({ ...labels, status: 'failed' })
    sourceErrors.inc(labels)
    ctx.log.warn({ ...base, err: message }, 'source failed')
    return { result: { ...base, status: 'failed', rowsWritten: 0, notModified: 0, error: message }, error }
  } finally {
    stopTimer()
  }
}

function sourceContext(ctx: RunContext, http: HttpClient, frameworkId: number, slug: string, source: string): SourceContext {
  return {
    http,
    today: toDay(ctx.now?.() ?? new Date()),
    backfill: ctx.backfill ?? false,
    latestDay: (subject, metric) => latestDay(ctx.db, { frameworkId, source, subject, metric }),
    latestObservation: (subject, metric) => latestObservation(ctx.db, { frameworkId, source, subject, metric }),
    state: (key) => sourceState(ctx.db, source, `${slug}:${key}`),
    validators: (url) => validatorsFor(ctx.db, url),
  }
}

interface Target {
  frameworkId: number
  slug: string
  source: string
}

async function store(db: Db, { frameworkId, slug, source }: Target, collected: Collected, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const stamp = { framework_id: frameworkId, source, fetched_at: now }
    const rows =
      (await upsertObservations(trx, collected.observations.map((o) => ({ ...o, ...stamp })))) +
      (await upsertReleases(trx, collected.releases.map((r) => ({ ...r, ...stamp }))))
    for (const [url, validators] of collected.validators) await saveValidators(trx, url, validators, now)
    for (const [key, value] of collected.state) await saveSourceState(trx, source, `${slug}:${key}`, value, now)
    if (rows > 0) await bumpDataVersion(trx)
    return rows
  })
}

/** The error message with its causes, e.g. "npm / express: request … failed: ECONNREFUSED". */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
