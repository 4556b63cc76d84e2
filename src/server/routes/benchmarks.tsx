import { Hono } from 'hono'
import { latestRuns } from '../../db/job-runs.js'
import { benchmarksOverview } from '../../db/queries/benchmarks.js'
import { listFrameworks } from '../../db/queries/frameworks.js'
import { BenchmarksPage } from '../../views/pages/benchmarks.js'
import type { ServerDeps } from '../deps.js'
import { benchmarksQuery, valid } from '../params.js'
import { renderPage } from '../render.js'
import { HTML, sendRendered } from '../respond.js'

/** /benchmarks: the newest run of each benchmark source, one variant per framework or all. */
export function benchmarkRoutes(deps: ServerDeps) {
  const { db, cache, assets } = deps
  return new Hono().get('/benchmarks', valid('query', benchmarksQuery), async (c) => {
    const allVariants = c.req.valid('query').variants === 'all'
    const rendered = await cache.get(
      `/benchmarks?variants=${allVariants ? 'all' : 'one'}`,
      async () => {
        const [overview, frameworks, jobRuns] = await Promise.all([
          benchmarksOverview(db, { allVariants }),
          listFrameworks(db),
          latestRuns(db),
        ])
        return renderPage(
          <BenchmarksPage
            {...overview}
            frameworks={frameworks}
            jobRuns={jobRuns}
            allVariants={allVariants}
            assets={assets}
          />,
        )
      },
    )
    return sendRendered(c, rendered, HTML)
  })
}
