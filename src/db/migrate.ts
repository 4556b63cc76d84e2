import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import type { Db } from './database.js'

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../db/migrations')

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where a `.ts` file cannot be
 * loaded by whatever runs our TypeScript (tsx, vitest); importing from here can.
 */
const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.[jt]s$/.test(f)).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      migrations[file.replace(/\.[jt]s$/, '')] = await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)
    }
    return migrations
  },
}

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider })
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message}`, {
      cause: result.error,
    })
  }
  return result
}
