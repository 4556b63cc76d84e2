import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../logger.js'
import { httpDuration, httpRequests } from '../telemetry.js'

/** One log line and the Prometheus counters per request, with the request id hono/request-id set. */
export function requestLog(log: Logger): MiddlewareHandler {
  return async function requestLog(c, next) {
    const start = performance.now()
    await next()
    const seconds = (performance.now() - start) / 1000
    // The route pattern, not the path: /frameworks/:slug is one series, not one per framework.
    const route = c.req.routePath
    httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) })
    httpDuration.observe({ method: c.req.method, route }, seconds)
    log.info(
      { reqId: c.get('requestId'), method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10 },
      'request',
    )
  }
}
