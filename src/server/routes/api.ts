import { Hono } from 'hono'
import { accepts } from 'hono/accepts'
import { z } from 'zod'
import { REGISTRIES } from '../../catalog/catalog.js'
import { frameworkIdOf } from '../../db/queries/frameworks.js'
import { frameworkOverview } from '../../db/queries/overview.js'
import { metricSeries, type SeriesResult } from '../../db/queries/series.js'
import { METRICS, type Metric } from '../../metrics.js'
import { sourceName } from '../../source-names.js'
import { reasonFor, reasonText } from '../../views/empty-reason.js'
import { attachment, CSV_TYPE, toCsv } from '../csv.js'
import type { ServerDeps } from '../deps.js'
import { chartQuery, valid } from '../params.js'
import { JSON_TYPE, sendRendered } from '../respond.js'

const metrics = Object.keys(METRICS) as [Metric, ...Metric[]]
const formats = ['json', 'csv'] as const

/** Any stored metric (src/metrics.ts) over a chart range; `format` wins over the Accept header. */
const seriesQuery = chartQuery.extend({
  metric: z.enum(metrics, { error: `must be one of ${metrics.join(', ')}` }).default('downloads'),
  format: z.enum(formats, { error: `must be one of ${formats.join(', ')}` }).optional(),
})

/** The data behind every chart, with its bucket, span and fetch time: JSON, or CSV like /compare.csv. */
export function apiRoutes(deps: ServerDeps) {
  const { db, cache, slugs } = deps
  return new Hono().get('/frameworks/:slug/series', valid('query', seriesQuery), async (c) => {
    const slug = c.req.param('slug')
    const { metric, range, format } = c.req.valid('query')
    if (!slugs.has(slug)) return c.json({ error: `unknown framework "${slug}"` }, 404)
    // Without ?format, content negotiation (RFC 9110 §12.5.1): text/csv preferred over JSON gets CSV.
    const negotiated = accepts(c, { header: 'Accept', supports: ['application/json', 'text/csv'], default: 'application/json' })
    const csv = (format ?? (negotiated === 'text/csv' ? 'csv' : 'json')) === 'csv'
    const path = `/api/frameworks/${slug}/series?metric=${metric}&range=${range}`
    const rendered = await cache.get(`${path}&format=${csv ? 'csv' : 'json'}`, async () => {
      const result = await metricSeries(db, { frameworkId: await frameworkIdOf(db, slug), metric, range })
      if (csv) return seriesCsv(slug, result)
      // Nothing stored: say why, as the pages do, rather than hand over a bare empty list.
      const missing = result.series.length === 0 ? await missingWhy(deps, slug, metric) : undefined
      return JSON.stringify({ framework: slug, ...result, ...(missing ? { missing } : {}) })
    })
    if (csv) c.header('Content-Disposition', attachment(`framework-pulse-${slug}-${metric}-${range}.csv`))
    const res = sendRendered(c, rendered, csv ? CSV_TYPE : JSON_TYPE)
    // The same URL answers in two formats when ?format is absent: caches must key on Accept.
    if (format === undefined) res.headers.append('Vary', 'Accept')
    return res
  })
}

const CSV_COLUMNS = ['framework', 'source', 'package', 'metric', 'range', 'bucket', 'day', 'value', 'fetched_at']

function seriesCsv(slug: string, result: SeriesResult): string {
  const fetched = result.fetchedAt ? new Date(result.fetchedAt).toISOString() : ''
  const rows = result.series.flatMap((s) => s.points.map((p) => [slug, s.source, s.subject, result.metric, result.range, result.bucket, p.day, String(p.value), fetched]))
  return toCsv(CSV_COLUMNS, rows)
}

/** Why a framework has no series of a metric, per source it would come from (views/empty-reason.ts). */
async function missingWhy({ db, collected }: ServerDeps, slug: string, metric: Metric): Promise<string> {
  const entry = (await frameworkOverview(db, slug))!
  const now = new Date()
  const downloads = metric.startsWith('downloads')
  const sources = downloads ? entry.identities.map((i) => i.source).filter((s) => (REGISTRIES as readonly string[]).includes(s)) : ['github']
  if (sources.length === 0) return 'the catalog lists no source of this figure for this framework'
  return sources
    .map((source) => {
      const name = sourceName(source)
      if (downloads && source === 'maven') return 'Maven Central publishes no download counts'
      if (!collected.has(source)) return `Framework Pulse does not collect ${name}`
      return `${name}: ${reasonText(name, reasonFor(entry, source, downloads ? 'downloads' : ['snapshot', 'star_history'], now), now)}`
    })
    .join('; ')
}
