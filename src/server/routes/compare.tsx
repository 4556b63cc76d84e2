import { Hono } from 'hono'
import { compareSearch, type CompareState } from '../../compare/options.js'
import { compareSeries, type CompareResult } from '../../db/queries/compare.js'
import { listFrameworks } from '../../db/queries/frameworks.js'
import { CompareChart, round, seriesLabel } from '../../views/components/compare-chart.js'
import { ComparePage } from '../../views/pages/compare.js'
import { compareQuery } from '../compare-params.js'
import type { ServerDeps } from '../deps.js'
import { valid } from '../params.js'
import { renderFragment, renderPage } from '../render.js'
import { HTML, JSON_TYPE, sendRendered } from '../respond.js'

const CSV_TYPE = 'text/csv; charset=utf-8'

/** /compare (page), /compare/chart (its htmx fragment), /compare.csv and /compare.json (its data). */
export function compareRoutes(deps: ServerDeps) {
  const { db, cache, assets, slugs } = deps
  // The first two frameworks of the catalog, so a bare /compare shows a chart at once.
  const query = valid('query', compareQuery(slugs, [...slugs].slice(0, 2)))
  const key = (path: string, s: CompareState) => `${path}?${compareSearch(s)}`
  return new Hono()
    .get('/compare', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare', state), async () => {
        const [frameworks, result] = await Promise.all([listFrameworks(db), compareSeries(db, state)])
        return renderPage(<ComparePage frameworks={frameworks} result={result} assets={assets} />)
      })
      return sendRendered(c, rendered, HTML)
    })
    .get('/compare/chart', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare/chart', state), async () => renderFragment(<CompareChart result={await compareSeries(db, state)} />))
      // htmx puts the page's URL, not the fragment's, in the address bar (HX-Push-Url).
      c.header('HX-Push-Url', key('/compare', state))
      return sendRendered(c, rendered, HTML)
    })
    .get('/compare.json', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare.json', state), async () => JSON.stringify(toJson(await compareSeries(db, state))))
      return sendRendered(c, rendered, JSON_TYPE)
    })
    .get('/compare.csv', query, async (c) => {
      const state = c.req.valid('query')
      const rendered = await cache.get(key('/compare.csv', state), async () => toCsv(await compareSeries(db, state)))
      c.header('Content-Disposition', `attachment; filename="framework-pulse-${state.metric}-${state.range}.csv"`)
      return sendRendered(c, rendered, CSV_TYPE)
    })
}

function toJson(result: CompareResult) {
  return {
    ...result.state,
    bucket: result.bucket,
    from: result.from,
    to: result.to,
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

/** RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
function toCsv(result: CompareResult): string {
  const { metric, view, smooth } = result.state
  const rows = result.series.flatMap((s) =>
    s.points.map((p) => [s.framework, s.source, s.subject, metric, view, smooth, result.bucket, p.day, String(round(p.value)), s.fetchedAt?.toISOString() ?? '']),
  )
  return [CSV_COLUMNS, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

function csvField(v: string): string {
  // A leading =, +, - or @ would be read as a formula by spreadsheets; package names never start so.
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}
