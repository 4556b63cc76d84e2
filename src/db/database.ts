import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import lockfile from 'proper-lockfile'
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
  if (databaseUrl) {
    // A server that is down must fail a request in time for a 503 within 2 s, not hold it open.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 1_500 })
    // An idle connection the server closes (restart, failover, pg_terminate_backend) is an 'error'
    // on the pool; unheard, it would crash the process. The pool drops that client and the next
    // query opens a new one, so there is nothing else to do.
    pool.on('error', () => {})
    // The same for a client that is checked out when its connection dies (a query or transaction
    // under way): pg emits 'error' on it as well as failing its query, and the pool listens only
    // to idle clients. The failed query is the error that counts; it reaches the caller.
    pool.on('connect', (client) => client.on('error', () => {}))
    return fromPool(pool, 'postgres')
  }
  const unlock = dataDir.startsWith('memory://') ? async () => {} : await lockDataDir(dataDir)
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
      await unlock()
    },
  }
}

function fromPool(pool: pg.Pool, kind: DbHandle['kind']): DbHandle {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, kind, close: () => db.destroy() }
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
}

/**
 * PGlite is one process per directory: a second one (`npm run sync` beside `npm start`) would
 * write behind the first one's back and can corrupt the files. A lock (a directory the holder
 * keeps touching, so a crashed holder's lock goes stale) refuses it with a clear message.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true })
  try {
    return await lockfile.lock(dataDir, { lockfilePath: path.join(dataDir, '.framework-pulse.lock'), stale: 15_000, update: 5_000 })
  } catch (cause) {
    if ((cause as { code?: string }).code !== 'ELOCKED') throw cause
    throw new DataDirInUseError(
      `DATA_DIR ${dataDir} is in use by another Framework Pulse process (the embedded database allows one): stop it, use POST /admin/sync on the running app, or set DATABASE_URL to share a PostgreSQL server`,
      { cause },
    )
  }
}
