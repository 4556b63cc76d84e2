import { Hono } from 'hono'
import { frameworkOverview } from '../../db/queries/overview.js'
import { frameworkCharts } from '../../db/queries/charts.js'
import { FrameworkCharts } from '../../views/pages/framework.js'
import type { ServerDeps } from '../deps.js'
import { chartQuery, valid } from '../params.js'
import { renderFragment } from '../render.js'
import { HTML, sendRendered } from '../respond.js'

/** htmx targets: each fragment has its own URL, so caches never vary on HX-Request. */
export function fragmentRoutes(deps: ServerDeps) {
  const { db, cache, collected, slugs } = deps
  return new Hono().get('/frameworks/:slug/chart', valid('query', chartQuery), async (c) => {
    const slug = c.req.param('slug')
    const { range } = c.req.valid('query')
    if (!slugs.has(slug)) return c.notFound()
    const rendered = await cache.get(`/frameworks/${slug}/chart?range=${range}`, async () => {
      const entry = await frameworkOverview(db, slug)
      if (!entry) throw new Error(`framework ${slug} is in the catalog but not in the database`)
      const charts = await frameworkCharts(db, entry.framework.id, range)
      return renderFragment(<FrameworkCharts entry={entry} charts={charts} range={range} collected={collected} />)
    })
    return sendRendered(c, rendered, HTML)
  })
}
