import type { Context } from 'hono'

type NodeEnv = { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined

/**
 * A request header, read from Node's parsed headers when @hono/node-server serves the request
 * (`c.env.incoming`), else from the Request (app.request() in tests). The first `c.req.header()`
 * of a request builds a whole Headers object, a large part of what a cached page costs.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeEnv)?.incoming
  if (!incoming) return c.req.header(name)
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}
