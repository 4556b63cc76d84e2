import { Hono } from 'hono'
import { compareNotes, type ChartResult } from '../../compare/notes.js'
import { appliedSmoothing, COMPARE_CHOICES, compareSearch, type CompareState } from '../../compare/options.js'
import type { Db } from '../../db/database.js'
import { compareSeries } from '../../db/queries/compare.js'
import { listFrameworks, mavenOnlyFrameworks } from '../../db/queries/frameworks.js'
import { round, seriesLabel } from '../../views/components/compare-chart.js'
import { CompareLive, ComparePage } from '../../views/pages/compare.js'
import { compareQuery } from '../compare-params.js'
import { attachment, CSV_TYPE, toCsv } from '../csv.js'
import type { ServerDeps } from '../deps.js'
import { valid } from '../params.js'
import type { Rendered } from '../render-cache.js'
import { renderFragment, renderPage } from '../render.js'
import { HTML, JSON_TYPE, sendFragment, sendRendered } from '../respond.js'

/**
 * /compare's state in its query, for the page, its fragments and its live region (routes/live.tsx).
 * The first two frameworks of the catalog, so a bare /compare shows a chart at once. Release
 * counts come from their own table, so the metric list is wider than the badges' one.
 */
export function compareStateQuery(slugs: ReadonlySet<string>) {
  return compareQuery(slugs, [...slugs].slice(0, 2), COMPARE_CHOICES, 'downloads')
}

// Which quarter is not over yet depends on the date: the render cache renders afresh each UTC day.
const key = (path: string, s: CompareState) => `${path}?${compareSearch(s)}`

/** A comparison, and which of its frameworks have no download counts to show at all. */
async function chartResult(db: Db, state: CompareState): Promise<ChartResult> {
  const [result, noDownloadCounts] = await Promise.all([compareSeries(db, state), state.metric === 'downloads' ? mavenOnlyFrameworks(db, state.fw) : []])
  return { ...result, noDownloadCounts }
}

/**
 * The page's live region (the "updated" line and the chart): one rendering serves the form's swap
 * (/compare/chart) and the region's poll (/live/compare), so both carry the same ETag.
 */
export function compareFragment({ db, cache }: ServerDeps, state: CompareState): Promise<Rendered> {
  return cache.get(key('/compare/chart', state), async () => renderFragment(<CompareLive result={await chartResult(db, state)} />))
}

/** /compare (page), /compare/chart (its htmx fragment), /compare.csv and /compare.json (its data). */
export function compareRoutes(deps: ServerDeps) {
  const { db, cache, assets, slugs } = deps
  const query = valid('query', compareStateQuery(slugs))
  return new Hono()
    .get('/compare', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare', state), async () => {
        const [frameworks, result] = await Promise.all([listFrameworks(db), chartResult(db, state)])
        return renderPage(<ComparePage frameworks={frameworks} result={result} assets={assets} />)
      })
      return sendRendered(c, rendered, HTML)
    })
    .get('/compare/chart', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await compareFragment(deps, state)
      // htmx puts the page's URL, not the fragment's, in the address bar (HX-Push-Url).
      c.header('HX-Push-Url', key('/compare', state))
      return sendFragment(c, rendered)
    })
    .get('/compare.json', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare.json', state), async () => JSON.stringify(toJson(await chartResult(db, state))))
      return sendRendered(c, rendered, JSON_TYPE)
    })
    .get('/compare.csv', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare.csv', state), async () => compareCsv(await compareSeries(db, state)))
      c.header('Content-Disposition', attachment(`framework-pulse-${state.metric}-${state.range}.csv`))
      return sendRendered(c, rendered, CSV_TYPE)
    })
}

function toJson(result: ChartResult) {
  return {
    ...result.state,
    smooth: appliedSmoothing(result.state),
    bucket: result.bucket,
    from: result.from,
    to: result.to,
    notes: compareNotes(result),
    series: result.series.map((s) => ({
      framework: s.framework,
      label: seriesLabel(s),
      source: s.source,
      subject: s.subject,
      fetched_at: s.fetchedAt,
      points: s.points.map((p) => ({ day: p.day, value: round(p.value) })),
    })),
  }
}

const CSV_COLUMNS = ['framework', 'source', 'package', 'metric', 'view', 'smoothing', 'bucket', 'day', 'value', 'fetched_at']

function compareCsv(result: ChartResult): string {
  const { metric, view } = result.state
  const smooth = appliedSmoothing(result.state)
  const rows = result.series.flatMap((s) =>
    s.points.map((p) => [s.framework, s.source, s.subject, metric, view, smooth, result.bucket, p.day, String(round(p.value)), s.fetchedAt?.toISOString() ?? '']),
  )
  return toCsv(CSV_COLUMNS, rows)
}
