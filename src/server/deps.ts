import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import type { AssetUrls } from '../views/assets.js'
import type { RenderCache } from './render-cache.js'

/** What route handlers get: no route opens connections or reads config itself. */
export interface ServerDeps {
  db: Db
  dbKind: 'postgres' | 'pglite'
  cache: RenderCache
  assets: AssetUrls
  /** Sources Framework Pulse collects; other catalog identities show as "not tracked yet". */
  collected: ReadonlySet<string>
  /** Catalog slugs: unknown ones are answered 404 without touching the database. */
  slugs: ReadonlySet<string>
  log: Logger
}
