import { Hono } from 'hono'
import { frameworkIdOf } from '../../db/queries/frameworks.js'
import { metricSeries } from '../../db/queries/series.js'
import type { ServerDeps } from '../deps.js'
import { seriesQuery, valid } from '../params.js'
import { JSON_TYPE, sendRendered } from '../respond.js'

/** The data behind every chart, with its bucket, span and fetch time. */
export function apiRoutes(deps: ServerDeps) {
  const { db, cache, slugs } = deps
  return new Hono().get('/frameworks/:slug/series', valid('query', seriesQuery), async (c) => {
    const slug = c.req.param('slug')
    const { metric, range } = c.req.valid('query')
    if (!slugs.has(slug)) return c.json({ error: `unknown framework "${slug}"` }, 404)
    const rendered = await cache.get(`/api/frameworks/${slug}/series?metric=${metric}&range=${range}`, async () => {
      const result = await metricSeries(db, { frameworkId: await frameworkIdOf(db, slug), metric, range })
      return JSON.stringify({ framework: slug, ...result })
    })
    return sendRendered(c, rendered, JSON_TYPE)
  })
}
