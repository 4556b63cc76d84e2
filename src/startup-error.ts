import { CatalogError } from './catalog/catalog.js'
import { ConfigError } from './config.js'
import { DataDirInUseError } from './db/database.js'

/** Bad configuration or catalog: a plain message, no stack trace, exit code 1. */
export function exitWithStartupError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof CatalogError || error instanceof DataDirInUseError) {
    console.error(`framework-pulse: ${error.message}`)
  } else {
    console.error('framework-pulse: start-up failed:', error)
  }
  process.exit(1)
}
