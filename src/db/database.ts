import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

// A `date` is a calendar day, not an instant: keep 'YYYY-MM-DD' instead of a local-midnight Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

export type Db = Kysely<Database>

export interface DbHandle {
  db: Db
  /** 'postgres' or 'pglite', shown on /status so users know which database they run. */
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
}

export interface DbOptions {
  databaseUrl?: string | undefined
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir: string
}

export async function openDatabase({ databaseUrl, dataDir }: DbOptions): Promise<DbHandle> {
  if (databaseUrl) return fromPool(new pg.Pool({ connectionString: databaseUrl, max: 10 }), 'postgres')
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir)
  // PGlite is one connection: a pool of one serialises queries and keeps transactions whole.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 })
  const handle = fromPool(pool, 'pglite')
  return {
    ...handle,
    // db.destroy() ends the pool but leaves PGlite open; the process would linger without close().
    close: async () => {
      await handle.close()
      await pglite.close()
    },
  }
}

function fromPool(pool: pg.Pool, kind: DbHandle['kind']): DbHandle {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, kind, close: () => db.destroy() }
}
