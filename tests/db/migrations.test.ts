import { NO_MIGRATIONS, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { migrator, migrateToLatest } from '../../src/db/migrate.js'
import { upsertObservations } from '../../src/db/writes.js'
import { TEST_DATABASE_URL, useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()

async function tables() {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(t.db)
  return result.rows.map((r) => r.table_name)
}

describe('migrations', () => {
  it('bring an empty database to the latest schema, and down again', async () => {
    expect(await tables()).toEqual([
      'benchmark_results', 'benchmark_runs', 'claim_verdicts',
      'data_version', 'events', 'framework_sources', 'frameworks', 'guide_sections', 'http_cache', 'job_leases', 'job_runs',
      'job_ticks', 'kysely_migration', 'kysely_migration_lock', 'observations', 'releases', 'source_state',
    ])
    const { results } = await migrateToLatest(t.db)
    expect(results).toEqual([])
    await migrator(t.db).migrateTo(NO_MIGRATIONS)
    expect(await tables()).toEqual(['kysely_migration', 'kysely_migration_lock'])
    await migrateToLatest(t.db)
    expect(await tables()).toContain('observations')
  })

  it('re-ingesting a day updates it instead of adding a row, and counts only real changes', async () => {
    const { id } = await t.db.selectFrom('frameworks').select('id').where('slug', '=', 'express').executeTakeFirstOrThrow()
    const row = { framework_id: id, source: 'npm', subject: 'express', metric: 'downloads', day: '2026-11-24', fetched_at: new Date() }
    expect(await upsertObservations(t.db, [{ ...row, value: 10 }])).toBe(1)
    expect(await upsertObservations(t.db, [{ ...row, value: 10 }])).toBe(0)
    expect(await upsertObservations(t.db, [{ ...row, value: 12 }])).toBe(1)
    const rows = await t.db.selectFrom('observations').select('value').execute()
    expect(rows).toEqual([{ value: 12 }])
  })

  it('writes batches larger than one statement can carry', async () => {
    const { id } = await t.db.selectFrom('frameworks').select('id').where('slug', '=', 'express').executeTakeFirstOrThrow()
    const start = Date.parse('2000-01-01T00:00:00Z')
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      framework_id: id, source: 'npm', subject: 'express', metric: 'downloads',
      day: new Date(start + i * 86_400_000).toISOString().slice(0, 10), value: i, fetched_at: new Date(),
    }))
    expect(await upsertObservations(t.db, rows)).toBe(2500)
    const { n } = await t.db.selectFrom('observations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    expect(Number(n)).toBe(2500)
  })

  it('syncing an unchanged catalog leaves the data version alone; an edit bumps it', async () => {
    const { syncCatalog } = await import('../../src/db/writes.js')
    const version = async () => (await t.db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()).version
    const start = await version()
    await syncCatalog(t.db, t.catalog)
    expect(await version()).toBe(start)
    await syncCatalog(t.db, t.catalog.map((f) => (f.slug === 'flask' ? { ...f, name: 'Flask (renamed)' } : f)))
    expect(Number(await version())).toBe(Number(start) + 1)
  })

  it.skipIf(!TEST_DATABASE_URL)('survives the server closing an idle connection (restart, failover)', async () => {
    const { openDatabase } = await import('../../src/db/database.js')
    const handle = await openDatabase({ databaseUrl: t.url, dataDir: 'memory://' })
    try {
      const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)
      await sql`select pg_terminate_backend(${pid.rows[0]!.pid})`.execute(t.db)
      await new Promise((resolve) => setTimeout(resolve, 200))
      // The broken idle client was dropped without an unhandled error; a new one serves this.
      const again = await sql<{ one: number }>`select 1 as one`.execute(handle.db)
      expect(again.rows).toEqual([{ one: 1 }])
    } finally {
      await handle.close()
    }
  })
})
