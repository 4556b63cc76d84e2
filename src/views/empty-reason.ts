import type { LatestRun } from '../db/job-runs.js'
import type { RateLimitState } from '../db/queries/sync-state.js'
import type { SignalName } from '../db/schema.js'
import { signalName } from '../source-names.js'

/** Why a source has stored nothing for a framework, decided from stored facts only (issue 4). */
export type EmptyReason =
  /** No run of the source for this framework, ever. */
  | { kind: 'not-synced' }
  /** Its latest run is still running; `first` when no run of it has succeeded before. */
  | { kind: 'running'; startedAt: Date; first: boolean }
  /** The upstream refused for its rate limit until `until` (from the failed run or the stored budget). */
  | { kind: 'rate-limited'; until: Date }
  /** Its latest run failed (or was interrupted) with `error`; `signal` is what that run collected. */
  | { kind: 'failed'; error: string; interrupted: boolean; signal?: SignalName }
  /** Its latest run succeeded and stored nothing of this kind. */
  | { kind: 'stored-none' }

export type RunFacts = Pick<LatestRun, 'status' | 'error' | 'started_at' | 'last_success_at'> & { signal?: SignalName | null }
export type BudgetFacts = Pick<RateLimitState, 'remaining' | 'resetAt'>

/**
 * The reason, in the order a reader needs it: a sync under way explains everything; then a rate
 * limit (the latest run refused, or the budget spent until a reset still to come), which says when
 * the next try is; then any other failure; then whether a run has happened at all.
 */
export function emptyReason(run: RunFacts | undefined, budget: BudgetFacts | undefined, now: Date): EmptyReason {
  if (run?.status === 'running') return { kind: 'running', startedAt: run.started_at, first: run.last_success_at === null }
  const refused = run?.status === 'failed' || run?.status === 'waiting' ? rateLimitedUntil(run.error) : null
  if (refused) return { kind: 'rate-limited', until: refused }
  if (budget && budget.remaining === 0 && budget.resetAt > now) return { kind: 'rate-limited', until: budget.resetAt }
  if (run?.status === 'failed' || run?.status === 'interrupted') {
    const failed = { kind: 'failed', error: run.error ?? 'no error was recorded', interrupted: run.status === 'interrupted' } as const
    return run.signal ? { ...failed, signal: run.signal } : failed
  }
  return run ? { kind: 'stored-none' } : { kind: 'not-synced' }
}

type SourceRun = RunFacts & { source: string }

/**
 * The latest run of one signal of a source: a figure is missing for what its own endpoint did.
 * A row from before signals (signal null) stands in until that signal has run.
 */
export function runOf<R extends SourceRun>(runs: readonly R[], source: string, signal: SignalName): R | undefined {
  return runs.find((r) => r.source === source && r.signal === signal) ?? runs.find((r) => r.source === source && !r.signal)
}

/**
 * What a framework's overview entry knows about the signals a figure comes from (the stars chart:
 * the snapshot and the star history): the first with something to say, from its latest run and
 * the source's budget; the first signal's when none has.
 */
export function reasonFor(
  entry: { runs: readonly SourceRun[]; rateLimits: readonly (BudgetFacts & { source: string })[] },
  source: string,
  signals: SignalName | readonly SignalName[],
  now: Date,
): EmptyReason {
  const budget = entry.rateLimits.find((b) => b.source === source)
  const reasons = (typeof signals === 'string' ? [signals] : signals).map((signal) => emptyReason(runOf(entry.runs, source, signal), budget, now))
  return reasons.find((r) => r.kind !== 'stored-none' && r.kind !== 'not-synced') ?? reasons[0]!
}

// job_runs keeps only the message of a RateLimitedError (src/jobs/errors.ts), "github / flask:
// rate limited until 2026-11-25T13:00:00.000Z (https://…)", or of a WaitingError, a signal not
// asked while the limit is spent: "github / flask: waiting for the rate limit until … (…)".
const RATE_LIMITED = /: (?:rate limited|waiting for the rate limit) until (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) \(/

/** The reset time a rate-limited run's error names, or null for any other error. */
export function rateLimitedUntil(error: string | null): Date | null {
  const m = error ? RATE_LIMITED.exec(error) : null
  if (!m) return null
  const until = new Date(m[1]!)
  return Number.isNaN(until.getTime()) ? null : until
}

/** "14:05 UTC" on the same UTC day as `now`, else "2026-11-26 14:05 UTC". */
export function clockTime(at: Date, now: Date): string {
  const iso = at.toISOString()
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? `${iso.slice(11, 16)} UTC` : `${iso.slice(0, 16).replace('T', ' ')} UTC`
}

/**
 * The reason as plain words after a lead such as "Nothing stored from GitHub yet" (the failure
 * case is a sentence of its own): what tests and titles read. The page renders the same words
 * with the start time as a `<time>` the client keeps relative (components/empty-why.tsx).
 */
export function reasonText(name: string, reason: EmptyReason, now: Date): string {
  switch (reason.kind) {
    case 'not-synced':
      return 'not synced yet'
    case 'running':
      return `${reason.first ? 'first sync' : 'sync'} running (started ${reason.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`
    case 'rate-limited':
      return rateLimitText(name, reason.until, now)
    case 'failed':
      return `${failedLead(name, reason)}: ${briefError(reason.error)} (see status)`
    case 'stored-none':
      return 'the last sync stored none'
  }
}

/** "GitHub rate limit reached, next try at 14:05 UTC"; a reset already past waits for the next run. */
export function rateLimitText(name: string, until: Date, now: Date): string {
  return until > now
    ? `${name} rate limit reached, next try at ${clockTime(until, now)}`
    : `${name} rate limit reached; it reset at ${clockTime(until, now)}, so the next scheduled sync tries again`
}

/** "Last PyPI sync failed", "Last npm downloads sync failed", "Last PyPI sync was interrupted". */
export function failedLead(name: string, reason: Extract<EmptyReason, { kind: 'failed' }>): string {
  const what = reason.signal ? `${name} ${signalName(reason.signal)}` : name
  return `Last ${what} sync ${reason.interrupted ? 'was interrupted' : 'failed'}`
}

// The HttpClient's words for a request that got no answer (src/jobs/http.ts):
// "pypi / django: request to https://pypistats.org/api/… failed: ENOTFOUND".
const UNREACHED = /request to (https?:\/\/[^/\s?#]+)\S* failed: ([A-Z][A-Z_]+)$/

/**
 * A failure in the few words a page has room for: a host that did not answer is "could not reach
 * pypistats.org (ENOTFOUND)"; other errors as stored. The status page keeps the whole message.
 */
export function briefError(error: string): string {
  const m = UNREACHED.exec(error)
  return m ? `could not reach ${new URL(m[1]!).host} (${m[2]})` : error
}

/** Whether a stored error is a host that did not answer (no DNS, refused, timed out). */
export const unreached = (error: string | null): boolean => error !== null && UNREACHED.test(error)
