import { Hono } from 'hono'
import { recentReleases } from '../../db/queries/releases.js'
import { frameworkOverview, overview } from '../../db/queries/overview.js'
import { metricSeries } from '../../db/queries/series.js'
import { FrameworkPage } from '../../views/pages/framework.js'
import { HomePage } from '../../views/pages/home.js'
import type { ServerDeps } from '../deps.js'
import { chartQuery, valid } from '../params.js'
import { renderPage } from '../render.js'
import { HTML, sendRendered } from '../respond.js'

const RELEASES_SHOWN = 25

export function pageRoutes(deps: ServerDeps) {
  const { db, cache, assets, collected, slugs } = deps
  return new Hono()
    .get('/', async (c) => {
      const rendered = await cache.get('/', async () => renderPage(<HomePage {...await overview(db)} collected={collected} assets={assets} />))
      return sendRendered(c, rendered, HTML)
    })
    .get('/frameworks/:slug', valid('query', chartQuery), async (c) => {
      const slug = c.req.param('slug')
      const { range } = c.req.valid('query')
      if (!slugs.has(slug)) return c.notFound()
      const rendered = await cache.get(`/frameworks/${slug}?range=${range}`, async () => {
        const entry = await frameworkOverview(db, slug)
        if (!entry) throw new Error(`framework ${slug} is in the catalog but not in the database`)
        const id = entry.framework.id
        const [series, releases] = await Promise.all([
          metricSeries(db, { frameworkId: id, metric: 'downloads', range }),
          recentReleases(db, id, RELEASES_SHOWN),
        ])
        return renderPage(<FrameworkPage entry={entry} series={series} releases={releases} collected={collected} assets={assets} />)
      })
      return sendRendered(c, rendered, HTML)
    })
}
