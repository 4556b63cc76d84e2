import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../logger.js'

/** One log line per request, with the request id that hono/request-id set. */
export function requestLog(log: Logger): MiddlewareHandler {
  return async function requestLog(c, next) {
    const start = performance.now()
    await next()
    log.info(
      {
        reqId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
      },
      'request',
    )
  }
}
