import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import { FEED_FORMATS, type FeedFormat } from '../views/feed-links.js'
import type { RenderedFeed } from '../views/feed.js'
import { etagMatches } from './respond.js'

// Readers poll; a shared cache may answer them for a quarter of an hour (the most frequent job
// runs hourly), and after that a conditional request costs a 304.
const CACHE_CONTROL = 'public, max-age=900'

/**
 * Sends a feed with validators from its content: the ETag hashes the bytes, so a feed is
 * unchanged exactly when its bytes are, whatever else a sync wrote. Weak, because the compress
 * middleware may send other bytes for the same representation (RFC 9110 §8.8.1).
 */
export function sendFeed(c: Context, feed: RenderedFeed, format: FeedFormat): Response {
  const etag = `W/"${createHash('sha256').update(feed.body).digest('base64url').slice(0, 32)}"`
  c.header('ETag', etag)
  if (feed.updated) c.header('Last-Modified', feed.updated.toUTCString())
  c.header('Cache-Control', CACHE_CONTROL)
  // Shared caches may keep it (public): gzipped and plain bytes must not be mixed up.
  c.header('Vary', 'Accept-Encoding')
  if (notModified(c, etag, feed.updated)) return c.body(null, 304)
  c.header('Content-Type', `${FEED_FORMATS[format].type}; charset=utf-8`)
  return c.body(feed.body)
}

/**
 * RFC 9110 §13.1.2 (If-None-Match, weak comparison), §13.1.3 (If-Modified-Since) and §13.2.2:
 * If-Modified-Since counts only when the request has no If-None-Match. Last-Modified has whole
 * seconds; the stored instant has microseconds.
 */
function notModified(c: Context, etag: string, updated: Date | null): boolean {
  const ifNoneMatch = c.req.header('if-none-match')
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, etag)
  const since = Date.parse(c.req.header('if-modified-since') ?? '')
  return updated !== null && !Number.isNaN(since) && Math.floor(updated.getTime() / 1000) * 1000 <= since
}
