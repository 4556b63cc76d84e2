import type { AddressInfo } from 'node:net'
import type { ServerType } from '@hono/node-server'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import type { Db, DbHandle } from '../../src/db/database.js'
import { createLogger } from '../../src/logger.js'
import { createApp } from '../../src/server/app.js'
import { listen } from '../../src/server/listen.js'

type AppOptions = Parameters<typeof createApp>[0]

/**
 * The real app over a test database, for `app.request()`: npm collected, no log output, and the
 * data version read on every request, since tests rewrite the database between cases.
 */
export function testApp(t: { db: Db; handle: DbHandle; catalog: CatalogEntry[] }, options: Partial<AppOptions> = {}) {
  return createApp({ db: t.db, dbKind: t.handle.kind, catalog: t.catalog, collected: new Set(['npm']), log: createLogger('silent'), publicUrl: 'http://pulse.test', versionTtlMs: 0, ...options })
}

export interface AppServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string
  close(): Promise<void>
}

/**
 * The real app on a real socket (127.0.0.1, a free port), for clients that cannot call
 * `app.request()`: a browser, a load generator, a child process.
 */
export async function startAppServer(options: {
  db: Db
  dbKind: DbHandle['kind']
  catalog: CatalogEntry[]
  collected?: ReadonlySet<string>
}): Promise<AppServer> {
  const app = createApp({
    db: options.db,
    dbKind: options.dbKind,
    catalog: options.catalog,
    collected: options.collected ?? new Set(['npm']),
    log: createLogger('silent'),
    publicUrl: 'http://pulse.test',
    // Tests rewrite the database between cases: never serve a page rendered from older data.
    versionTtlMs: 0,
  })
  let server: ServerType | undefined
  const info = await new Promise<AddressInfo>((resolve) => {
    server = listen(app.fetch, { hostname: '127.0.0.1', port: 0 }, resolve)
  })
  return {
    url: `http://127.0.0.1:${info.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Browsers keep idle connections open; drop them so close() does not wait for them.
        if ('closeAllConnections' in server!) server.closeAllConnections()
        server!.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
