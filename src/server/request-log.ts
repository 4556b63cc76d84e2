import type { Context, MiddlewareHandler } from 'hono'
import type { Logger } from '../logger.js'
import { httpDuration, httpRequests } from '../telemetry.js'

// A request slower than this is worth a line at info level even when it succeeded.
const SLOW_MS = 1000

/**
 * The Prometheus counters for every request, and a log line with the request id assignRequestId
 * set: at info level for a failure (4xx, 5xx) or a slow answer, at debug for the rest. A line per
 * page view costs as much as serving a cached page (BENCHMARKS.md); LOG_LEVEL=debug logs them all.
 */
export function requestLog(log: Logger): MiddlewareHandler {
  return async function requestLog(c, next) {
    const start = performance.now()
    await next()
    // The route pattern, not the path: /frameworks/:slug is one series, not one per framework.
    logRequest(log, c, c.req.routePath, start)
  }
}

/** What requestLog records, for a response answered before it runs (the response memo). */
export function logRequest(log: Logger, c: Context, route: string, start: number): void {
  const seconds = (performance.now() - start) / 1000
  const { method } = c.req
  const status = c.res.status
  httpRequests.inc({ method, route, status: String(status) })
  httpDuration.observe({ method, route }, seconds)
  const ms = Math.round(seconds * 10_000) / 10
  const level = status >= 400 || ms >= SLOW_MS ? 'info' : 'debug'
  if (log.isLevelEnabled(level)) log[level]({ reqId: c.get('requestId'), method, path: c.req.path, route, status, ms }, 'request')
}
