import { Hono } from 'hono'
import { latestRuns } from '../../db/job-runs.js'
import { benchmarksOverview } from '../../db/queries/benchmarks.js'
import { listFrameworks } from '../../db/queries/frameworks.js'
import { BenchmarksLive, BenchmarksPage, type BenchmarksLiveProps } from '../../views/pages/benchmarks.js'
import type { ServerDeps } from '../deps.js'
import { benchmarksQuery, valid } from '../params.js'
import type { Rendered } from '../render-cache.js'
import { renderFragment, renderPage } from '../render.js'
import { HTML, sendRendered } from '../respond.js'

/** What the page and its live region (/live/benchmarks, routes/live.tsx) show. */
async function benchmarksData(db: ServerDeps['db'], allVariants: boolean): Promise<BenchmarksLiveProps> {
  const [overview, frameworks, jobRuns] = await Promise.all([
    benchmarksOverview(db, { allVariants }),
    listFrameworks(db),
    latestRuns(db),
  ])
  return { ...overview, frameworks, jobRuns, allVariants }
}

const variantsOf = (allVariants: boolean) => (allVariants ? 'all' : 'one')

/** The page's live region: the results, the imported runs and when the newest was imported. */
export function benchmarksFragment({ db, cache }: ServerDeps, allVariants: boolean): Promise<Rendered> {
  return cache.get(`/live/benchmarks?variants=${variantsOf(allVariants)}`, async () =>
    renderFragment(<BenchmarksLive {...await benchmarksData(db, allVariants)} />),
  )
}

/** /benchmarks: the newest run of each benchmark source, one variant per framework or all. */
export function benchmarkRoutes(deps: ServerDeps) {
  const { db, cache, assets } = deps
  return new Hono().get('/benchmarks', valid('query', benchmarksQuery), async (c) => {
    const allVariants = c.req.valid('query').variants === 'all'
    const rendered = await cache.get(`/benchmarks?variants=${variantsOf(allVariants)}`, async () =>
      renderPage(<BenchmarksPage {...await benchmarksData(db, allVariants)} assets={assets} />),
    )
    return sendRendered(c, rendered, HTML)
  })
}
