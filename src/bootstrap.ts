import { loadCatalog, type CatalogEntry } from './catalog/catalog.js'
import { loadClaims } from './catalog/claims.js'
import type { Config } from './config.js'
import { openDatabase, type DbHandle } from './db/database.js'
import { markAbandonedRuns } from './db/job-runs.js'
import { migrateToLatest } from './db/migrate.js'
import { syncCatalog } from './db/writes.js'
import { loadGuideSnapshot } from './jobs/guide-job.js'
import { httpClientFactory } from './jobs/jobs.js'
import { reclassifyStoredReleases } from './jobs/reclassify-releases.js'
import type { Logger } from './logger.js'

export interface Bootstrapped {
  handle: DbHandle
  catalog: CatalogEntry[]
}

/** What every entry point needs first: a valid catalog, a migrated database, the guide text. */
export async function bootstrap(config: Config, log: Logger): Promise<Bootstrapped> {
  const catalog = loadCatalog(config.CATALOG_FILE)
  // A bad claim stops start-up like a bad catalog entry: the verdict step would fail on it later.
  loadClaims(catalog)
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
  try {
    await migrateToLatest(handle.db)
    await markAbandonedRuns(handle.db)
    await syncCatalog(handle.db, catalog)
    const loaded = await loadGuideSnapshot(handle.db, catalog)
    if (loaded > 0) log.info({ sections: loaded }, 'loaded the bundled guide snapshot')
    // Releases stored under older version rules get today's, and what derives from them follows.
    const ctx = { db: handle.db, catalog, log, http: httpClientFactory(config) }
    await reclassifyStoredReleases(ctx, { trendThresholdPct: config.FEED_TREND_THRESHOLD_PCT, catalogFile: config.CATALOG_FILE })
  } catch (error) {
    await handle.close()
    throw error
  }
  log.info({ database: handle.kind, frameworks: catalog.length }, 'database ready')
  return { handle, catalog }
}
