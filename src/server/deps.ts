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
  /** PUBLIC_URL, no trailing slash: the base of absolute links (feeds, subscribe URLs). */
  publicUrl: string
  /** ADMIN_TOKEN is set: /status shows the sync form. */
  adminEnabled: boolean
  /** Job names for the sync form's source choice. */
  jobNames: string[]
}
