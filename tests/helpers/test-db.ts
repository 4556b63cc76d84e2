import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { loadCatalog, type CatalogEntry } from '../../src/catalog/catalog.js'
import { openDatabase, type Db, type DbHandle } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { syncCatalog } from '../../src/db/writes.js'

/** TEST_DATABASE_URL set: a fresh database on that server per test file. Unset: in-memory PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined

export interface TestDatabase {
  db: Db
  handle: DbHandle
  /** Connection string of this file's database (real Postgres only), for child processes. */
  url: string | undefined
  catalog: CatalogEntry[]
}

/**
 * Gives each test a clean, migrated schema with the catalog loaded. One database per test
 * file (PGlite's start-up costs seconds), emptied before each test; `{ once: true }` empties it
 * once, before the first, for a file whose tests all read one expensive seed.
 */
export function useTestDatabase(options: { once?: boolean } = {}): TestDatabase {
  const ctx = { catalog: loadCatalog() } as TestDatabase
  let dropDatabase: (() => Promise<void>) | undefined
  beforeAll(async () => {
    if (TEST_DATABASE_URL) {
      const created = await createDatabase(TEST_DATABASE_URL)
      ctx.url = created.url
      dropDatabase = created.drop
    }
    ctx.handle = await openDatabase({ databaseUrl: ctx.url, dataDir: 'memory://' })
    ctx.db = ctx.handle.db
  })
  const reset = async () => {
    await emptySchema(ctx.db)
    await migrateToLatest(ctx.db)
    await syncCatalog(ctx.db, ctx.catalog)
  }
  if (options.once) beforeAll(reset)
  else beforeEach(reset)
  afterAll(async () => {
    await ctx.handle?.close()
    await dropDatabase?.()
  })
  return ctx
}

/** Drops every table, migrations' bookkeeping included: a database as if new. */
export async function emptySchema(db: Db): Promise<void> {
  await sql`drop schema public cascade`.execute(db)
  await sql`create schema public`.execute(db)
}

/** A new database on the server at `serverUrl`, with its URL and a way to drop it. */
export async function createDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fp_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}
