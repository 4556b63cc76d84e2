import { Hono } from 'hono'
import { latestRuns } from '../../db/job-runs.js'
import { frameworkBenchmarks } from '../../db/queries/benchmarks.js'
import { frameworkCharts } from '../../db/queries/charts.js'
import { frameworkOverview, overview } from '../../db/queries/overview.js'
import { recentReleases } from '../../db/queries/releases.js'
import { overviewSparks } from '../../db/queries/sparklines.js'
import { rateLimits } from '../../db/queries/sync-state.js'
import { liveEtag } from '../../views/components/live-region.js'
import { FrameworkLive, RELEASES_SHOWN } from '../../views/pages/framework.js'
import { OverviewCards } from '../../views/pages/home.js'
import { StatusRuns } from '../../views/pages/status.js'
import type { ServerDeps } from '../deps.js'
import { benchmarksQuery, chartQuery, valid } from '../params.js'
import { renderFragment } from '../render.js'
import { ifNoneMatch, sendFragment } from '../respond.js'
import { benchmarksFragment } from './benchmarks.js'
import { compareFragment, compareStateQuery } from './compare.js'

/** Tells the client script how often to poll (LIVE_POLL_SECONDS): pages are cached, so they cannot. */
export const POLL_HEADER = 'X-Live-Poll-Seconds'

/**
 * The live regions' fragments (views/components/live-region.tsx), polled by open pages. Each is
 * exactly what its page embeds, and its ETag is a hash of its bytes, so an unchanged region costs
 * a 304 and no swap. Rendered once per data version, like the pages; /compare's and /benchmarks'
 * renderings live with their pages' routes and are shared with them.
 */
export function liveRoutes(deps: ServerDeps, { pollSeconds = 60 }: { pollSeconds?: number } = {}) {
  const { db, cache, collected, slugs } = deps
  return new Hono()
    .use(async (c, next) => {
      c.header(POLL_HEADER, String(pollSeconds))
      await next()
    })
    .get('/overview', async (c) => {
      const rendered = await cache.get('/live/overview', async () => {
        const { frameworks } = await overview(db)
        const sparks = await overviewSparks(db, frameworks.map((f) => f.framework.id))
        return renderFragment(<OverviewCards frameworks={frameworks} sparks={sparks} collected={collected} now={new Date()} />)
      })
      return sendFragment(c, rendered)
    })
    .get('/frameworks/:slug', valid('query', chartQuery), async (c) => {
      const slug = c.req.param('slug')
      const { range } = c.req.valid('query')
      if (!slugs.has(slug)) return c.notFound()
      const rendered = await cache.get(`/live/frameworks/${slug}?range=${range}`, async () => {
        const entry = await frameworkOverview(db, slug)
        if (!entry) throw new Error(`framework ${slug} is in the catalog but not in the database`)
        const id = entry.framework.id
        const [charts, releases, benchmarks] = await Promise.all([
          frameworkCharts(db, id, range),
          recentReleases(db, id, RELEASES_SHOWN),
          frameworkBenchmarks(db, id),
        ])
        return renderFragment(<FrameworkLive entry={entry} charts={charts} range={range} releases={releases} collected={collected} now={new Date()} benchmarks={benchmarks} />)
      })
      return sendFragment(c, rendered)
    })
    // The same rendering as the form's fragment (/compare/chart), without its HX-Push-Url: a poll
    // must not add a history entry. The query is the page's, repeated fw and all.
    .get('/compare', valid('query', compareStateQuery(slugs)), async (c) => {
      return sendFragment(c, await compareFragment(deps, c.req.valid('query')))
    })
    .get('/benchmarks', valid('query', benchmarksQuery), async (c) => {
      return sendFragment(c, await benchmarksFragment(deps, c.req.valid('query').variants === 'all'))
    })
    .get('/status', async (c) => {
      // Not cached, as /status: a failed run writes no data (the version stays), yet must show at once.
      const [runs, budgets] = await Promise.all([latestRuns(db), rateLimits(db)])
      const html = await renderFragment(<StatusRuns runs={runs} budgets={budgets} />)
      const etag = liveEtag(html)
      c.header('ETag', etag)
      c.header('Cache-Control', 'no-cache')
      if (ifNoneMatch(c, etag)) return c.body(null, 304)
      return c.html(html)
    })
}
