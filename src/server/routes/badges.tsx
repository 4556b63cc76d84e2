import { Hono } from 'hono'
import { COMPARE_METRICS } from '../../compare/options.js'
import { frameworkBySlug, mavenOnlyFrameworks } from '../../db/queries/frameworks.js'
import { sparkFor } from '../../db/queries/sparklines.js'
import type { Metric, MetricKind } from '../../metrics.js'
import { Badge, BADGE_ERROR } from '../../views/components/badge.js'
import { formatCompact } from '../../views/format.js'
import { badgeQuery } from '../compare-params.js'
import type { ServerDeps } from '../deps.js'
import { renderFragment } from '../render.js'
import { sendRendered } from '../respond.js'
import { sourceName } from '../../source-names.js'

const SVG = 'image/svg+xml; charset=utf-8'
const DAYS = { '30d': 30, '90d': 90, '1y': 365 } as const

/** Embeds: /frameworks/:slug/badge.svg?metric=downloads&range=90d, e.g. for a README. */
export function badgeRoutes(deps: ServerDeps) {
  const { db, cache, slugs } = deps
  return new Hono().get('/frameworks/:slug/badge.svg', async (c) => {
    const slug = c.req.param('slug')
    // As the validator reads a query: a repeated parameter is a list (and so invalid here).
    const query = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]))
    const parsed = badgeQuery.safeParse(query)
    if (!parsed.success) {
      // An <img> cannot show an HTML error page: a 400 that is still a badge, naming the parameter.
      const issue = parsed.error.issues[0]!
      const name = issue.path.join('.') || 'query'
      const message = `${name}: ${issue.message}`
      const svg = await renderFragment(<Badge label="badge" value={`invalid ${name}`.slice(0, 40)} points={[]} title={message} color={BADGE_ERROR} />)
      return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, 400, { 'Content-Type': SVG, 'Cache-Control': 'no-store' })
    }
    const { metric, range } = parsed.data
    if (!slugs.has(slug)) return c.notFound()
    const rendered = await cache.get(`/frameworks/${slug}/badge.svg?metric=${metric}&range=${range}`, async () => {
      const framework = (await frameworkBySlug(db, slug))!
      const chosen: { metric: Metric; kind?: MetricKind } = COMPARE_METRICS[metric]
      const spark = await sparkFor(db, framework.id, chosen.metric, DAYS[range], chosen.kind)
      const unit = COMPARE_METRICS[metric].unit
      const label = spark ? `${framework.name} ${unit} (${sourceName(spark.series.source)})` : `${framework.name} ${unit}`
      // Maven Central publishes no download counts: none will come, so not "no data yet".
      const unpublished = !spark && metric === 'downloads' && (await mavenOnlyFrameworks(db, [slug])).length > 0
      const value = !spark ? (unpublished ? 'not published' : 'no data') : spark.last7 !== null ? `${formatCompact(spark.last7)}/week` : formatCompact(spark.latest)
      const title = spark
        ? `${label}: ${value}; ${spark.series.subject}, last ${range}, fetched ${spark.fetchedAt?.toISOString() ?? 'unknown'}`
        : unpublished
          ? `${label}: Maven Central publishes no download counts`
          : `${label}: no data stored yet`
      return `<?xml version="1.0" encoding="UTF-8"?>\n${await renderFragment(<Badge label={label} value={value} points={spark?.series.points ?? []} title={title} />)}`
    })
    return sendRendered(c, rendered, SVG)
  })
}
