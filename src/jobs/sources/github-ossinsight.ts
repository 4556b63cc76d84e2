import { z } from 'zod'
import { addDays, laterDay } from '../../days.js'
import { SourceError } from '../errors.js'
import { readState, semanticError, type GithubRun } from './github-api.js'
import { isoDay } from './shapes.js'
import type { ObservationDraft } from './source.js'

/**
 * The fallback when GitHub's star-history endpoint answers 404 or 410: OSS Insight's public API,
 * `GET /v1/repos/{owner}/{repo}/stargazers/history/?per=day&from=…&to=…`, which answers
 * `{ "data": { "rows": [ { "date": "…", "stargazers": "<number as string>" } ] } }` (github.md).
 *
 * Its rows are running totals of stars *given* (GH Archive WatchEvents; unstars are not counted)
 * on the days that had any, not per-day retained counts. So they are not stored as
 * 'stars_retained': the differences between consecutive totals are stored as 'stars_given', stars
 * given per day. Days without a row get no value rather than an assumed 0.
 *
 * Whether a total counts from the repository's first star or from `from` is not documented, so
 * only differences inside one response are used: each request starts on the last day already
 * stored (its row is the base and is not stored again), the very first one on the creation day.
 */
export const ossInsightSchema = z.object({
  data: z.object({
    rows: z.array(
      z.object({ date: isoDay, stargazers: z.string().regex(/^\d+$/, 'must be digits') }),
    ),
  }),
})
export type OssInsightHistory = z.infer<typeof ossInsightSchema>

// OSS Insight reports `"limit": 2000` rows per answer: a full answer may be cut short.
export const ROW_LIMIT = 2000
// GH Archive's first hour of events.
const GH_ARCHIVE_START = '2011-02-12'
// Recent days can still grow while GH Archive catches up: they are derived again next run.
const SETTLE_DAYS = 3
// Its own budget (600 requests an hour per IP, ossinsight.io/docs/api); a long history needs one
// request per 2,000 days with stars, so a handful covers any repository.
const MAX_REQUESTS_PER_RUN = 5

const stateSchema = z.object({ base: isoDay.nullable(), error: z.string().nullable().optional() })

/**
 * 'stars_given' rows from one answer. `base` is the day the request started on when it was
 * already stored: its row anchors the differences and is not returned again.
 */
export function toStarsGiven(
  body: OssInsightHistory,
  base: string | null,
  subject: string,
  url: string,
  slug: string,
): ObservationDraft[] {
  const rows = body.data.rows
  const fail = (path: string, what: string) => semanticError(slug, url, `data.rows${path}`, what)
  if (base !== null && rows.length > 0 && rows[0]!.date !== base) {
    throw fail('[0].date', `is ${rows[0]!.date}, expected ${base} (the day the request started on)`)
  }
  const out: ObservationDraft[] = []
  rows.forEach((row, i) => {
    const previous = rows[i - 1]
    if (previous && row.date <= previous.date) throw fail(`[${i}].date`, 'not after the row before it')
    const value = Number(row.stargazers) - (previous ? Number(previous.stargazers) : 0)
    if (value < 0) throw fail(`[${i}].stargazers`, 'a running total that went down')
    if (i > 0 || base === null) out.push({ subject, metric: 'stars_given', day: row.date, value })
  })
  return out
}

/**
 * Fetches what is missing since the last settled day. Best effort: the fallback failing (down,
 * rate limited, a body it cannot read) must not cost the framework its exact daily snapshot, so
 * its rows of this run are dropped, the error is kept in the 'ossinsight' state for the status
 * page, and the next run tries again. OSS Insight has its own x-ratelimit-* headers; the
 * HttpClient keeps the newest it saw, so GitHub's budget is put back afterwards, for the budget
 * plan and for the 'rate_limit' state run-source saves. No GitHub token is sent here.
 */
export async function collectOssInsight(run: GithubRun, ossInsightUrl: string): Promise<void> {
  const known = await readState(run, 'ossinsight', stateSchema)
  const githubLimit = run.ctx.http.rateLimit
  const rows: ObservationDraft[] = []
  let base = known?.base ?? null
  let settled = base
  try {
    for (let n = 0; n < MAX_REQUESTS_PER_RUN; n++) {
      const from = base ?? laterDay(GH_ARCHIVE_START, run.createdAt?.slice(0, 10) ?? GH_ARCHIVE_START)
      const query = `per=day&from=${from}&to=${run.ctx.today}`
      const url = `${ossInsightUrl}/v1/repos/${run.repo}/stargazers/history/?${query}`
      const result = await run.ctx.http.getJson({ url, schema: ossInsightSchema, framework: run.slug })
      if (result.notModified) break
      rows.push(...toStarsGiven(result.body, base, run.subject, url, run.slug))
      const answer = result.body.data.rows
      const lastSettled = answer.filter((r) => r.date <= addDays(run.ctx.today, -SETTLE_DAYS)).at(-1)?.date
      if (lastSettled && (settled === null || lastSettled > settled)) settled = lastSettled
      if (answer.length < ROW_LIMIT) break
      base = answer.at(-1)!.date
    }
  } catch (error) {
    if (!(error instanceof SourceError)) throw error
    run.out.state.set('ossinsight', { base: known?.base ?? null, error: error.message })
    return
  } finally {
    run.ctx.http.rateLimit = githubLimit
  }
  run.out.observations.push(...rows)
  run.out.state.set('ossinsight', { base: settled, error: null })
}
