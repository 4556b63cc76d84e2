import type { Context, MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import { requestHeader } from './request-headers.js'

const MAX_LENGTH = 255

/**
 * hono/request-id, minus its header handling: the id a proxy sent in X-Request-Id (same checks
 * as Hono's) or a new UUID, read without building a Headers object (request-headers.ts). The
 * response carries it through echoRequestId, or the response memo on a hit.
 */
export function assignRequestId(): MiddlewareHandler {
  return requestId({ headerName: '', generator: newRequestId })
}

/** The request's id: the one its proxy sent, when well-formed, else a new UUID. */
export function newRequestId(c: Context): string {
  const given = requestHeader(c, 'x-request-id')
  return given && given.length <= MAX_LENGTH && !/[^\w\-=]/.test(given) ? given : crypto.randomUUID()
}

export function echoRequestId(): MiddlewareHandler {
  return async function echoRequestId(c, next) {
    await next()
    c.header('X-Request-Id', c.get('requestId'))
  }
}
