import { Hono } from 'hono'
import { DEFAULT_FEED_KINDS } from '../../event-kinds.js'
import { feedDate, feedEvents } from '../../db/queries/events.js'
import { frameworkBySlug } from '../../db/queries/frameworks.js'
import { FEED_FORMAT_NAMES } from '../../views/feed-links.js'
import { frameworkChannel, renderFeed, siteChannel } from '../../views/feed.js'
import type { ServerDeps } from '../deps.js'
import { feedQuery, valid } from '../params.js'
import { sendFeed } from '../send-feed.js'

// Events are dated when they happened; a feed carries the newest, so a first sync over years of
// backfilled releases never hands a reader hundreds of items at once.
const FEED_ITEMS = 50

/** RSS 2.0 (.xml), Atom 1.0 (.atom) and JSON Feed 1.1 (.json), for the site and per framework. */
export function feedRoutes(deps: ServerDeps) {
  const { db, slugs, publicUrl } = deps
  const routes = new Hono()
  for (const format of FEED_FORMAT_NAMES) {
    routes.get(`/feed.${format}`, valid('query', feedQuery), async (c) => {
      const { kind } = c.req.valid('query')
      const events = await feedEvents(db, { frameworkId: null, kinds: kind ?? DEFAULT_FEED_KINDS, limit: FEED_ITEMS })
      return sendFeed(c, renderFeed(format, siteChannel(publicUrl, kind), events, await feedDate(db, null)), format)
    })
    routes.get(`/frameworks/:slug/feed.${format}`, valid('query', feedQuery), async (c) => {
      const slug = c.req.param('slug')
      const { kind } = c.req.valid('query')
      const framework = slugs.has(slug) ? await frameworkBySlug(db, slug) : undefined
      if (!framework) return c.notFound()
      const kinds = kind ?? DEFAULT_FEED_KINDS
      const events = await feedEvents(db, { frameworkId: framework.id, kinds, limit: FEED_ITEMS })
      const updated = await feedDate(db, framework.id)
      return sendFeed(c, renderFeed(format, frameworkChannel(publicUrl, framework, kind), events, updated), format)
    })
  }
  return routes
}
