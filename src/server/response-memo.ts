import type { Context, MiddlewareHandler } from 'hono'
import type { RenderCache } from './render-cache.js'
import type { Logger } from '../logger.js'
import { memoHits } from '../telemetry.js'
import { requestHeader } from './request-headers.js'
import { newRequestId } from './request-id.js'
import { logRequest } from './request-log.js'
import { acceptsGzip, etagMatches } from './respond.js'

/** What sendRendered leaves on the context: the bytes it sent and the data version they render. */
export interface MemoCandidate {
  version: string
  body: Uint8Array<ArrayBuffer>
}

declare module 'hono' {
  interface ContextVariableMap {
    memoCandidate: MemoCandidate
  }
}

interface Memo {
  version: string
  etag: string
  body: Uint8Array<ArrayBuffer>
  /** Every header the middleware and the route set, minus the per-request ones. */
  headers: Record<string, string>
  /** The same, less representation metadata: what a 304 carries. */
  notModified: Record<string, string>
  route: string
}

// Set per request: by echoRequestId (answer() adds the request's own) and by Node (date).
const PER_REQUEST = new Set(['x-request-id', 'date'])
// RFC 9110 §15.4.5: a 304 carries the headers the 200 would have, less representation metadata.
const REPRESENTATION = new Set(['content-type', 'content-length', 'content-encoding', 'content-language'])

/**
 * The render cache's fast lane. A GET answered from the render cache (sendRendered) is kept here
 * whole, as the client got it: its status, every header the middleware inside this one added
 * (security headers, CORP on badges) and the body for its encoding, keyed by URL and encoding and
 * valid for the data version it renders. The next request for that URL is answered from it
 * without running those middleware or the route again, so a cached page costs little more than
 * a hello world: Hono's per-response header objects are what a cached page otherwise spends its
 * time on (BENCHMARKS.md). Responses that vary on anything but Accept-Encoding, or set cookies,
 * are never kept.
 */
export function responseMemo(cache: RenderCache, { log, maxEntries, maxBytes }: { log: Logger; maxEntries: number; maxBytes: number }): MiddlewareHandler {
  const memos = new Map<string, Memo>()
  let bytes = 0
  const drop = (key: string) => {
    const memo = memos.get(key)
    if (memo && memos.delete(key)) bytes -= memo.body.byteLength
  }
  return async function responseMemo(c, next) {
    if (c.req.method !== 'GET') return next()
    const start = performance.now()
    const gzip = acceptsGzip(requestHeader(c, 'accept-encoding'))
    const key = `${gzip ? 'gzip' : 'identity'} ${c.req.url}`
    const memo = memos.get(key)
    if (memo && memo.version === (cache.freshVersion() ?? (await currentVersion(cache)))) {
      memos.delete(key)
      memos.set(key, memo)
      // First in the chain, so a hit does the request id's and the request log's work itself.
      c.set('requestId', newRequestId(c))
      c.res = answer(c, memo)
      memoHits.inc({ route: memo.route })
      logRequest(log, c, memo.route, start)
      return c.res
    }
    await next()
    const candidate = c.get('memoCandidate')
    if (!candidate || c.res.status !== 200 || !keepable(c.res.headers, gzip)) return
    const headers: Record<string, string> = {}
    c.res.headers.forEach((value, name) => {
      if (!PER_REQUEST.has(name)) headers[name] = value
    })
    const notModified = Object.fromEntries(Object.entries(headers).filter(([name]) => !REPRESENTATION.has(name)))
    drop(key)
    memos.set(key, { version: candidate.version, etag: headers.etag ?? '', body: candidate.body, headers, notModified, route: c.req.routePath })
    bytes += candidate.body.byteLength
    while (memos.size > maxEntries || bytes > maxBytes) drop(memos.keys().next().value!)
  }
}

function answer(c: Context, memo: Memo): Response {
  const extra = { 'x-request-id': c.get('requestId') }
  if (etagMatches(requestHeader(c, 'if-none-match'), memo.etag)) {
    return new Response(null, { status: 304, headers: { ...memo.notModified, ...extra } })
  }
  // A plain object, not a Headers: @hono/node-server writes it as it is.
  return new Response(memo.body, { status: 200, headers: { ...memo.headers, ...extra } })
}

/**
 * Only a response whose bytes are the ones sendRendered chose for the key's encoding (the compress
 * middleware may have re-encoded them for `deflate`), that varies on nothing but the encoding and
 * sets no cookie.
 */
function keepable(headers: Headers, gzip: boolean): boolean {
  const vary = new Set((headers.get('vary') ?? '').toLowerCase().split(',').map((v) => v.trim()).filter(Boolean))
  const encoding = headers.get('content-encoding')
  return (
    !headers.has('set-cookie') &&
    [...vary].every((name) => name === 'accept-encoding') &&
    (gzip ? encoding === 'gzip' : encoding === null)
  )
}

/** A failed read (the database is down) is left to the full chain, which logs and counts the failure. */
async function currentVersion(cache: RenderCache): Promise<string | undefined> {
  try {
    return await cache.version()
  } catch {
    return undefined
  }
}
