import type { Context } from 'hono'
import { parseAccept } from 'hono/utils/accept'
import { liveEtag } from '../views/components/live-region.js'
import type { Rendered } from './render-cache.js'

/**
 * Sends a cached rendering (gzipped when the client accepts it) with its ETag; a matching If-None-Match gets 304 (RFC 9110 §13.1.2,
 * weak comparison). `no-cache` makes browsers and proxies revalidate instead of showing stale data. `etag` replaces the
 * rendering's own (by data version and URL) where a route has a finer validator, such as a hash of the bytes.
 */
export function sendRendered(c: Context, rendered: Rendered, contentType: string, etag: string = rendered.etag): Response {
  c.header('ETag', etag)
  c.header('Cache-Control', 'no-cache')
  // A 304 carries the Vary the 200 would (RFC 9110 §15.4.5).
  c.header('Vary', 'Accept-Encoding')
  if (ifNoneMatch(c, etag)) return c.body(null, 304)
  c.header('Content-Type', contentType)
  // Compressed once per data version here, so the compress middleware leaves it alone.
  const gzip = acceptsGzip(c.req.header('accept-encoding'))
  if (gzip) c.header('Content-Encoding', 'gzip')
  const body = gzip ? rendered.gzip() : rendered.body
  // The response memo (response-memo.ts) keeps the whole response for the next request.
  c.set('memoCandidate', { version: rendered.version, body })
  return c.body(body)
}

// Hashed once per rendering: the cache hands out the same object until the data version changes.
const contentTags = new WeakMap<Rendered, string>()

/**
 * Sends an HTML fragment that a page embeds as a live region (views/components/live-region.tsx),
 * with a hash of its bytes as the ETag: the tag the page gives the region, so a poll is answered
 * 304 exactly when the region would not change, and a swap of the same fragment (the /compare
 * form) can hand its tag to the region.
 */
export function sendFragment(c: Context, rendered: Rendered): Response {
  let tag = contentTags.get(rendered)
  if (!tag) contentTags.set(rendered, (tag = liveEtag(rendered.body)))
  return sendRendered(c, rendered, HTML, tag)
}

/** Whether the request's If-None-Match names `etag` (see etagMatches). */
export function ifNoneMatch(c: Context, etag: string): boolean {
  return etagMatches(c.req.header('if-none-match'), etag)
}

/**
 * Whether an If-None-Match value names `etag` or is `*`. "A recipient MUST use the weak comparison
 * function when comparing entity tags for If-None-Match" (RFC 9110 §13.1.2): `W/"x"` and `"x"` match.
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag))
}

/**
 * Whether Accept-Encoding allows gzip: named, or `*`, with a weight above 0 (RFC 9110 §12.5.3;
 * `gzip;q=0` refuses it), parsed by Hono's own Accept parser as its compress middleware does.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false
  const accepts = parseAccept(acceptEncoding)
  const weight = (type: string) => accepts.find((a) => a.type.toLowerCase() === type)?.q
  return (weight('gzip') ?? weight('*') ?? 0) > 0
}

export const HTML = 'text/html; charset=utf-8'
export const JSON_TYPE = 'application/json; charset=utf-8'
