import { z } from 'zod'
import { addDays, toDay } from '../../days.js'
import { isUnavailable, readState, semanticError, type GithubRun } from './github-api.js'
import type { ObservationDraft } from './source.js'

/**
 * GET /repos/{o}/{r}/stargazers/history (GitHub changelog 2026-09-04; github.md, "Star history
 * after the 2026 stargazer restriction"): weeks newest first, each `week` (its start, Unix
 * seconds), `total` (stars gained that week) and `days` (7 counts). Only stars that still exist
 * are counted, by the day they were given, hence the metric 'stars_retained'. No documented body
 * exists, so the parser is strict: anything unexpected fails the framework instead of guessing.
 */
const count = z.number().int().nonnegative()
export const historySchema = z.array(z.object({ week: count, total: count, days: z.array(count).length(7) }))
export type History = z.infer<typeof historySchema>

/** "per_page up to 30 weeks, page up to 100" (github.md). */
export const MAX_PER_PAGE = 30
export const MAX_PAGE = 100
const DAY_S = 86_400
const WEEK_S = 7 * DAY_S

const stateSchema = z.object({
  /** Start of the newest week stored: later runs ask only for the weeks from there on. */
  newest: z.number().nullable(),
  /** The older page still to read (a Link URL as given); null once the creation week is stored. */
  next: z.string().nullable(),
})
export type HistoryState = z.infer<typeof stateSchema>

/**
 * The UTC calendar days of a week's seven buckets. GitHub does not promise its boundaries are UTC
 * (github.md). We assume they are; the week start is rounded to the nearest UTC midnight first, so
 * buckets that start at local midnight anywhere within ±12 h of UTC still get their own date, and
 * with UTC buckets the mapping is exact. Only per-day placement could shift; weekly sums cannot.
 */
export function weekDays(week: number): string[] {
  const first = toDay(new Date(Math.round(week / DAY_S) * DAY_S * 1000))
  return Array.from({ length: 7 }, (_, i) => addDays(first, i))
}

/** Whole weeks from the week starting at `week` to `today`. */
export function weeksSince(week: number, today: string): number {
  const elapsed = Date.parse(`${today}T00:00:00Z`) / 1000 - Math.round(week / DAY_S) * DAY_S
  return Math.max(0, Math.floor(elapsed / WEEK_S))
}

/** One 'stars_retained' row per day up to today; later days of the current week have not happened. */
export function toRetained(
  body: History,
  subject: string,
  today: string,
  url: string,
  slug: string,
): ObservationDraft[] {
  const rows: ObservationDraft[] = []
  body.forEach((w, i) => {
    const sum = w.days.reduce((a, b) => a + b, 0)
    if (sum !== w.total) {
      throw semanticError(slug, url, `[${i}].total`, `is ${w.total} but its days add up to ${sum}`)
    }
    if (i > 0 && w.week >= body[i - 1]!.week) {
      throw semanticError(slug, url, `[${i}].week`, 'not older than the week before it (newest first expected)')
    }
    weekDays(w.week).forEach((day, d) => {
      if (day <= today) rows.push({ subject, metric: 'stars_retained', day, value: w.days[d]! })
    })
  })
  return rows
}

/** Whether a page reaches back to the repository's creation: nothing older exists. */
function reachesCreation(body: History, createdAt: string | null): boolean {
  const oldest = body.at(-1)
  if (!oldest) return true
  return createdAt !== null && oldest.week <= Date.parse(createdAt) / 1000
}

function pageNumber(url: string): number {
  return Number(new URL(url).searchParams.get('page') ?? '1')
}

/** A next page past the API's last one holds nothing it will serve. */
function reachable(next: string | null): string | null {
  return next && pageNumber(next) <= MAX_PAGE ? next : null
}

/**
 * The newest weeks, every run. The first run asks for 30 weeks and keeps the Link next as the
 * backfill cursor; later runs ask for exactly the weeks since the newest one stored, that week
 * included (it was incomplete then), so completed weeks are never fetched again. Should that
 * page not reach back to the stored week (say, after a long outage), its Link next is followed
 * within the budget; the cursor only moves once the gap is closed. 'unavailable' on 404/410.
 */
export async function historyHead(run: GithubRun): Promise<HistoryState | 'unavailable'> {
  const known = await readState(run, 'history', stateSchema)
  const newest = known?.newest ?? null
  const perPage =
    newest === null ? MAX_PER_PAGE : Math.min(MAX_PER_PAGE, weeksSince(newest, run.ctx.today) + 1)
  const head = `${run.apiUrl}/repos/${run.repo}/stargazers/history?per_page=${perPage}`
  let page
  try {
    page = await run.api.get(head, historySchema, newest !== null)
  } catch (error) {
    if (isUnavailable(error)) return 'unavailable'
    throw error
  }
  if (page.notModified) {
    run.out.notModified++
    return known!
  }
  run.out.validators.set(head, page.validators)
  run.out.observations.push(...toRetained(page.body, run.subject, run.ctx.today, head, run.slug))
  const top = page.body[0]?.week ?? newest
  if (newest === null) {
    const next = reachesCreation(page.body, run.createdAt) ? null : reachable(page.next)
    const state = { newest: top, next }
    run.out.state.set('history', state)
    return state
  }
  let next = reachable(page.next)
  let oldest = page.body.at(-1)?.week ?? newest
  while (oldest > newest && next && run.budget.allows('backfill')) {
    const url = next
    const older = await run.api.get(url, historySchema, false)
    if (older.notModified) break
    run.out.observations.push(...toRetained(older.body, run.subject, run.ctx.today, url, run.slug))
    next = reachable(older.next)
    oldest = older.body.at(-1)?.week ?? newest
  }
  const state = { ...known!, newest: oldest <= newest ? top : newest }
  run.out.state.set('history', state)
  return state
}

/** Older pages from the saved cursor back to the creation week, as far as the budget allows. */
export async function historyBackfill(run: GithubRun, state: HistoryState): Promise<void> {
  let next = reachable(state.next)
  while (next && run.budget.allows('backfill')) {
    const url = next
    const page = await run.api.get(url, historySchema, false)
    if (page.notModified) break
    run.out.observations.push(...toRetained(page.body, run.subject, run.ctx.today, url, run.slug))
    next = reachesCreation(page.body, run.createdAt) ? null : reachable(page.next)
  }
  if (next !== state.next) run.out.state.set('history', { ...state, next })
}
