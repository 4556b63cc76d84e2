import type { CatalogEntry } from '../catalog/catalog.js'
import type { Db } from '../db/database.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { frameworkIdOf } from '../db/queries/frameworks.js'
import { latestDay, latestObservation, sourceState, storedRateLimit, validatorsFor } from '../db/queries/sync-state.js'
import type { SignalName } from '../db/schema.js'
import { bumpDataVersion, saveSourceState, saveValidators, upsertObservations, upsertReleases } from '../db/writes.js'
import type { Logger } from '../logger.js'
import { WaitingError } from './errors.js'
import type { HttpClient } from './http.js'
import type { Collected, Source, SourceContext, SourceSignal } from './sources/source.js'
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

/** waiting: nothing asked, the upstream's rate limit is spent until a known time (not a failure). */
export type RunStatus = 'succeeded' | 'failed' | 'waiting'

/** One signal of one framework, as its job_runs row records it. */
export interface SignalResult {
  signal: SignalName
  status: RunStatus
  rowsWritten: number
  notModified: number
  error?: string
}

/** One framework on one source (or one whole-job step): what progress bars and `npm run sync` show. */
export interface SubjectResult {
  source: string
  framework: string
  /** A source's run: the worst of its signals' (failed, else waiting, else succeeded). */
  status: RunStatus
  /** Summed over its signals. */
  rowsWritten: number
  notModified: number
  /** A source's run: the first failed signal's message, else the first waiting one's. */
  error?: string
  /** A source's run: each signal's own outcome, in the order they ran. */
  signals?: SignalResult[]
}

/**
 * Runs one source for every framework that has identities on it. Each signal of each framework
 * gets its own job_runs row and its own transaction: one failing endpoint never stops or undoes
 * the others, of that framework or any other.
 */
export async function runSource(ctx: RunContext, source: Source): Promise<SubjectResult[]> {
  const http = ctx.http(source.name)
  // A budget an earlier run spent stays spent until its reset: plan and ask from what the
  // upstream last said, not from an empty client that would ask anyway and meet a 403.
  const stored = await storedRateLimit(ctx.db, source.name)
  http.rateLimit ??= stored
  const results: SubjectResult[] = []
  const frameworks = ctx.catalog.filter((f) => source.subjects(f).length > 0)
  for (const [i, framework] of frameworks.entries()) {
    if (ctx.signal?.aborted) break
    const unit: Unit = { ctx, source, http, framework, frameworkId: await frameworkIdOf(ctx.db, framework.slug), laterFrameworks: frameworks.length - i - 1 }
    const signals: SignalResult[] = []
    for (const signal of source.signals) {
      const result = await runSignal(unit, signal)
      if (result) signals.push(result)
    }
    const result = summarize(source.name, framework.slug, signals)
    results.push(result)
    ctx.onResult?.(result, results.length, frameworks.length)
  }
  // Saved only when this run heard from the upstream, so the budget's "reported at" stays true.
  if (http.rateLimit && http.rateLimit !== stored) await saveSourceState(ctx.db, source.name, 'rate_limit', http.rateLimit, ctx.now?.() ?? new Date())
  return results
}

/** One framework on one source, which each of its signals is run for. */
interface Unit {
  ctx: RunContext
  source: Source
  http: HttpClient
  framework: CatalogEntry
  frameworkId: number
  laterFrameworks: number
}

/** One signal of one framework: its own job_runs row, its own transaction, its own outcome. */
async function runSignal(unit: Unit, signal: SourceSignal): Promise<SignalResult | null> {
  const { ctx, source, framework, frameworkId } = unit
  const sourceCtx = sourceContext(unit)
  if (signal.applies && !(await signal.applies(framework, sourceCtx))) return null
  const runId = await startRun(ctx.db, { job: source.name, source: source.name, frameworkId, signal: signal.name })
  const labels = { source: source.name }
  const stopTimer = jobDuration.startTimer(labels)
  const base = { source: source.name, framework: framework.slug, signal: signal.name }
  try {
    const collected = await signal.collect(framework, sourceCtx)
    const rowsWritten = await store(ctx.db, { frameworkId, slug: framework.slug, source: source.name }, collected, ctx.now?.() ?? new Date())
    await finishRun(ctx.db, runId, { status: 'succeeded', rowsWritten, notModified: collected.notModified })
    rowsWrittenTotal.inc(labels, rowsWritten)
    jobRuns.inc({ ...labels, status: 'succeeded' })
    ctx.log.info({ ...base, rowsWritten }, 'source synced')
    return { signal: signal.name, status: 'succeeded', rowsWritten, notModified: collected.notModified }
  } catch (error) {
    const message = describeError(error)
    const status = error instanceof WaitingError ? 'waiting' : 'failed'
    await finishRun(ctx.db, runId, { status, error: message })
    jobRuns.inc({ ...labels, status })
    if (error instanceof WaitingError) {
      ctx.log.info({ ...base, until: error.until }, 'waiting for the rate limit')
    } else {
      sourceErrors.inc(labels)
      ctx.log.warn({ ...base, err: message }, 'source failed')
    }
    return { signal: signal.name, status, rowsWritten: 0, notModified: 0, error: message }
  } finally {
    stopTimer()
  }
}

function summarize(source: string, framework: string, signals: SignalResult[]): SubjectResult {
  const worst = signals.find((s) => s.status === 'failed') ?? signals.find((s) => s.status === 'waiting')
  return {
    source,
    framework,
    status: worst?.status ?? 'succeeded',
    rowsWritten: signals.reduce((n, s) => n + s.rowsWritten, 0),
    notModified: signals.reduce((n, s) => n + s.notModified, 0),
    ...(worst?.error === undefined ? {} : { error: worst.error }),
    signals,
  }
}

function sourceContext({ ctx, http, frameworkId, framework, source, laterFrameworks }: Unit): SourceContext {
  return {
    http,
    today: toDay(ctx.now?.() ?? new Date()),
    backfill: ctx.backfill ?? false,
    laterFrameworks,
    latestDay: (subject, metric) => latestDay(ctx.db, { frameworkId, source: source.name, subject, metric }),
    latestObservation: (subject, metric) => latestObservation(ctx.db, { frameworkId, source: source.name, subject, metric }),
    state: (key) => sourceState(ctx.db, source.name, `${framework.slug}:${key}`),
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
