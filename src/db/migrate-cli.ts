import { loadConfig } from '../config.js'
import { exitWithStartupError } from '../startup-error.js'
import { openDatabase } from './database.js'
import { migrateToLatest } from './migrate.js'

/** `npm run db:migrate`: the same migrations start-up runs, on their own. */
async function main(): Promise<void> {
  const config = loadConfig()
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
  try {
    const { results = [] } = await migrateToLatest(handle.db)
    for (const r of results) console.log(`${r.migrationName}: ${r.status}`)
    console.log(results.length === 0 ? 'schema already at the latest migration' : `applied ${results.length} migration(s)`)
  } finally {
    await handle.close()
  }
}

main().catch(exitWithStartupError)
