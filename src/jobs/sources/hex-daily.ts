import { z } from 'zod'
import { addDays, laterDay, toDay } from '../../days.js'
import { RateLimitedError, SourceError, WaitingError } from '../errors.js'
import { available } from './github-budget.js'
import { isoDay } from './shapes.js'
import type { Collected, ObservationDraft, SourceContext } from './source.js'

/**
 * Hex's daily download history, backfilled from the per-release series (hex.md): the package
 * document has no daily series, but `GET /api/packages/<name>/releases/<version>?downloads=day`
 * gives one release's `[day, count]` pairs. hexpm's stats worker writes one `downloads` row per
 * release and day it saw downloads, for yesterday, once that day is over (downloads_worker.ex), and
 * the package's `day`/`week`/`all` are sums of those same rows (the package_downloads view). So a
 * package's count for a day is the sum over all its releases, a release without a pair that day
 * had none, and no series holds a partial day. A day without a pair in any release stays absent:
 * zero downloads and a day the worker never counted look the same.
 *
 * Which writer owns a day of 'downloads' (subject = package, source 'hex'): the package document's
 * `day` owns each day it was stored for (hex.ts, one request a day); a fill sums the releases only
 * for the days before that unbroken run of `day` figures began (`chain`), so the two never write
 * the same day in a run. Should they meet (a `--backfill` run refills everything before the
 * chain), both are sums of the same rows. RubyGems' and NuGet's differences of totals
 * (daily-from-totals.ts) are other sources' rows and never touch Hex's.
 */

const count = z.number().int().nonnegative()

export const releaseSeriesSchema = z.object({
  version: z.string(),
  // release_view.ex `downloads/1`: [day, downloads] per day, ordered by day (Download.query_filter).
  downloads: z.array(z.tuple([isoDay, count])).superRefine((pairs, ctx) => {
    pairs.forEach(([day], i) => {
      if (i > 0 && day <= pairs[i - 1]![0]) {
        ctx.addIssue({ code: 'custom', path: [i, 0], message: `${day} is not after ${pairs[i - 1]![0]} (one pair per day, oldest first)` })
      }
    })
  }),
})
export type ReleaseSeries = z.infer<typeof releaseSeriesSchema>

const fillSchema = z.object({
  /** First day to sum; null: from the first day Hex has. */
  from: isoDay.nullable(),
  /** Last day to sum: fixed when the fill starts, so every release is summed over the same days. */
  to: isoDay,
  /** Releases already summed (resumable across runs). */
  done: z.array(z.string()),
  sums: z.record(isoDay, count),
})
export type Fill = z.infer<typeof fillSchema>

export const dailyStateSchema = z.object({
  /** Every day up to this one is stored (from a completed fill or `day` figures); null before the first fill. */
  coveredTo: isoDay.nullable(),
  /** The unbroken run of days stored from the package document's `day` (yesterday at each run). */
  chain: z.object({ from: isoDay, to: isoDay }).nullable(),
  fill: fillSchema.nullable(),
})
export type DailyState = z.infer<typeof dailyStateSchema>

/**
 * Release requests per run and package: 60 of the 100 a minute Hex allows an address (hex.md,
 * "Rate limits"), so the package documents still to come and any other client on the same address
 * keep room in the same 60-second window. A package with more releases is summed over several runs.
 */
export const SERIES_REQUESTS_PER_RUN = 60
/** Requests left untouched in Hex's current window, besides one package document per later framework. */
export const SERIES_RESERVE = 10

const joined = (coveredTo: string | null, chain: DailyState['chain']) =>
  coveredTo !== null && chain !== null && chain.from <= addDays(coveredTo, 1) ? laterDay(coveredTo, chain.to) : coveredTo

/**
 * This run's state: the chain extended by yesterday when the package document's `day` was stored,
 * and a fill started when days before the chain are missing: all history on the first run (or a
 * `--backfill` run), later only a gap left by missed runs. Without any `day` figure there is no
 * chain to meet, so only the first fill is made (to the day before yesterday).
 */
export function planDaily(known: DailyState | null, today: string, dayStored: boolean, restart: boolean): DailyState {
  const yesterday = addDays(today, -1)
  const prior: DailyState = !known || restart ? { coveredTo: null, chain: known?.chain ?? null, fill: null } : known
  const last = prior.chain
  const chain = !dayStored ? last : last && last.to >= addDays(yesterday, -1) ? { from: last.from, to: laterDay(last.to, yesterday) } : { from: yesterday, to: yesterday }
  const coveredTo = joined(joined(prior.coveredTo, last), chain)
  if (prior.fill) return { coveredTo, chain, fill: prior.fill }
  const to = chain ? addDays(chain.from, -1) : addDays(today, -2)
  if (coveredTo === null) return { coveredTo, chain, fill: { from: null, to, done: [], sums: {} } }
  if (chain && coveredTo < to) return { coveredTo, chain, fill: { from: addDays(coveredTo, 1), to, done: [], sums: {} } }
  return { coveredTo, chain, fill: null }
}

/** Adds one release's counts for the fill's days to its sums. */
export function addSeries(fill: Fill, body: ReleaseSeries): Fill {
  const sums = { ...fill.sums }
  for (const [day, n] of body.downloads) {
    if ((fill.from === null || day >= fill.from) && day <= fill.to) sums[day] = (sums[day] ?? 0) + n
  }
  return { ...fill, done: [...fill.done, body.version], sums }
}

/** A completed fill's days as 'downloads' rows for the package. */
export function fillRows(fill: Fill, subject: string): ObservationDraft[] {
  return Object.entries(fill.sums)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, value]) => ({ subject, metric: 'downloads', day, value }))
}

/** The releases a fill must sum: all but those published after its last day (they have no downloads then). */
export function releasesFor(fill: Fill, releases: Array<{ version: string; inserted_at?: string | undefined }>): string[] {
  return releases.filter((r) => r.inserted_at === undefined || toDay(new Date(r.inserted_at)) <= fill.to).map((r) => r.version)
}

export interface DailyTarget {
  pkg: string
  slug: string
  baseUrl: string
  releases: Array<{ version: string; inserted_at?: string | undefined }>
  /** Whether this run stored the package document's `day` (on yesterday). */
  dayStored: boolean
}

/**
 * One step of the backfill: as many release series as the budget allows, progress saved with the
 * rows (Collected.state) so the next run resumes where this one stopped, and the summed days
 * written once every release is in. Hex's 429 (no Retry-After; hex.md) pauses the backfill instead
 * of failing the package: what was summed is kept, the stored rate limit makes the next framework
 * wait, and the next run goes on. Never conditional: a 304 counts against the limit all the same
 * (hex.md, "Gotcha") and would leave nothing to add to the sums.
 */
export async function collectDailyHistory(t: DailyTarget, ctx: SourceContext, out: Collected): Promise<void> {
  const key = `daily:${t.pkg}`
  const known = dailyStateSchema.safeParse(await ctx.state(key))
  const state = planDaily(known.success ? known.data : null, ctx.today, t.dayStored, ctx.backfill)
  let fill = state.fill
  if (fill === null) {
    out.state.set(key, state)
    return
  }
  const pending = releasesFor(fill, t.releases).filter((v) => !fill!.done.includes(v))
  const reserve = SERIES_RESERVE + ctx.laterFrameworks
  let asked = 0
  for (const version of pending) {
    if (asked >= SERIES_REQUESTS_PER_RUN || available(ctx.http.rateLimit, Date.now()) - 1 < reserve) break
    asked++
    const url = seriesUrl(t, version, fill.from)
    let result
    try {
      result = await ctx.http.getJson({ url, schema: releaseSeriesSchema, framework: t.slug })
    } catch (error) {
      // Refused now, or the budget spent: stop here and keep what is summed.
      if (error instanceof RateLimitedError || error instanceof WaitingError) break
      throw error
    }
    if (result.notModified) continue
    if (result.body.version !== version) {
      throw new SourceError('hex', t.slug, `${url}: version: expected "${version}", got "${result.body.version}"`)
    }
    fill = addSeries(fill, result.body)
  }
  const complete = releasesFor(fill, t.releases).every((v) => fill!.done.includes(v))
  if (!complete) {
    out.state.set(key, { ...state, fill })
    return
  }
  out.observations.push(...fillRows(fill, t.pkg))
  // Before the fill, some day up to fill.from - 1 was the newest covered one; now fill.to is.
  out.state.set(key, { coveredTo: joined(fill.to, state.chain), chain: state.chain, fill: null })
}

function seriesUrl(t: DailyTarget, version: string, from: string | null): string {
  const query = new URLSearchParams({ downloads: 'day' })
  // `downloads_after` is in hexpm's code but not its docs (hex.md), which leave open whether the day
  // itself is included: ask from the day before, and addSeries drops what falls outside the fill.
  if (from !== null) query.set('downloads_after', addDays(from, -1))
  return `${t.baseUrl}/api/packages/${encodeURIComponent(t.pkg)}/releases/${encodeURIComponent(version)}?${query}`
}
