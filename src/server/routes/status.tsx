import { Hono } from 'hono'
import { latestRuns } from '../../db/job-runs.js'
import { rateLimits } from '../../db/queries/sync-state.js'
import { StatusPage } from '../../views/pages/status.js'
import type { ServerDeps } from '../deps.js'
import { statusQuery, valid } from '../params.js'
import { renderPage } from '../render.js'

/** Not cached: a failed run writes no data (the version stays), yet must show at once. */
export function statusRoutes(deps: ServerDeps) {
  return new Hono().get('/status', valid('query', statusQuery), async (c) => {
    const { sync } = c.req.valid('query')
    const [runs, budgets] = await Promise.all([latestRuns(deps.db), rateLimits(deps.db)])
    c.header('Cache-Control', 'no-store')
    const admin = deps.adminEnabled ? { jobs: deps.jobNames, started: sync } : undefined
    return c.html(await renderPage(<StatusPage runs={runs} budgets={budgets} dbKind={deps.dbKind} assets={deps.assets} admin={admin} />))
  })
}
