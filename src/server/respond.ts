import type { Context } from 'hono'
import type { Rendered } from './render-cache.js'

/**
 * Sends a cached rendering (gzipped when the client accepts it) with its ETag; a matching If-None-Match gets 304 (RFC 9110 §13.1.2,
 * weak comparison). `no-cache` makes browsers and proxies revalidate instead of showing stale data.
 */
export function sendRendered(c: Context, rendered: Rendered, contentType: string): Response {
  c.header('ETag', rendered.etag)
  c.header('Cache-Control', 'no-cache')
  const ifNoneMatch = c.req.header('if-none-match')
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === rendered.etag || tag.trim() === '*')) {
    return c.body(null, 304)
  }
  c.header('Content-Type', contentType)
  c.header('Vary', 'Accept-Encoding')
  // Compressed once per data version here, so the compress middleware leaves it alone.
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip')
    return c.body(rendered.gzip())
  }
  return c.body(rendered.body)
}

export const HTML = 'text/html; charset=utf-8'
export const JSON_TYPE = 'application/json; charset=utf-8'
