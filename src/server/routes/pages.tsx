import { Hono } from 'hono'
import { frameworkBenchmarks } from '../../db/queries/benchmarks.js'
import { frameworkVerdicts } from '../../db/queries/claim-verdicts.js'
import { recentReleases } from '../../db/queries/releases.js'
import { frameworkOverview, overview } from '../../db/queries/overview.js'
import { frameworkCharts } from '../../db/queries/charts.js'
import { overviewSparks } from '../../db/queries/sparklines.js'
import { FrameworkPage, RELEASES_SHOWN } from '../../views/pages/framework.js'
import { HomePage } from '../../views/pages/home.js'
import type { ServerDeps } from '../deps.js'
import { chartQuery, valid } from '../params.js'
import { renderPage } from '../render.js'
import { HTML, sendRendered } from '../respond.js'

export function pageRoutes(deps: ServerDeps) {
  const { db, cache, assets, collected, slugs, publicUrl } = deps
  return new Hono()
    .get('/', async (c) => {
      const rendered = await cache.get('/', async () => {
        const data = await overview(db)
        const sparks = await overviewSparks(db, data.frameworks.map((f) => f.framework.id))
        return renderPage(<HomePage {...data} sparks={sparks} collected={collected} assets={assets} now={new Date()} publicUrl={publicUrl} />)
      })
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
        const [charts, releases, benchmarks, verdicts] = await Promise.all([
          frameworkCharts(db, id, range),
          recentReleases(db, id, RELEASES_SHOWN),
          frameworkBenchmarks(db, id),
          frameworkVerdicts(db, id),
        ])
        return renderPage(
          <FrameworkPage entry={entry} charts={charts} range={range} releases={releases} collected={collected} assets={assets} now={new Date()} publicUrl={publicUrl} benchmarks={benchmarks} verdicts={verdicts} />,
        )
      })
      return sendRendered(c, rendered, HTML)
    })
}
