import { NO_MIGRATIONS, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrator, migrateToLatest } from '../../src/db/migrate.js'
import type { Db } from '../../src/db/database.js'
import { syncCatalog } from '../../src/db/writes.js'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import { seedAllSources, type AllUpstreams } from '../helpers/seed-sources.js'
import { emptySchema, useTestDatabase } from '../helpers/test-db.js'

// Issue 12, "Migrations": a database left at any earlier migration, holding data, upgrades in
// place and keeps every row. The data is a first sync of every source (every table filled), cut
// to the columns each step had; the previous release's schema is one of those steps (0006).
const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase({ once: true })

type Row = Record<string, unknown>
interface Column {
  table_name: string
  column_name: string
  data_type: string
}

let up: AllUpstreams
// Every table's rows after the seed, at the latest schema.
let seeded: Map<string, Row[]>
let steps: string[]

async function columns(db: Db): Promise<Column[]> {
  const result = await sql<Column>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, ordinal_position`.execute(db)
  return result.rows
}

async function dump(db: Db): Promise<Map<string, Row[]>> {
  const byTable = new Map<string, string[]>()
  for (const c of await columns(db)) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name])
  const out = new Map<string, Row[]>()
  for (const [table, cols] of byTable) {
    const rows = await sql<Row>`select * from ${sql.table(table)} order by ${sql.raw(cols.map((c) => `"${c}"`).join(', '))}`.execute(db)
    out.set(table, rows.rows)
  }
  return out
}

/** Writes the seeded rows into the schema as it is now: each table that exists, its columns that do. */
async function restore(db: Db, rows: Map<string, Row[]>): Promise<void> {
  const now = await columns(db)
  for (const table of await parentsFirst(db, [...new Set(now.map((c) => c.table_name))])) {
    const cols = now.filter((c) => c.table_name === table)
    const data = rows.get(table) ?? []
    // A migration's own seed rows (data_version's one row) make way for the stored ones.
    await db.deleteFrom(table as never).execute()
    for (let i = 0; i < data.length; i += 500) {
      const values = data.slice(i, i + 500).map((row) => Object.fromEntries(cols.map((c) => [c.column_name, c.data_type === 'jsonb' ? JSON.stringify(row[c.column_name]) : row[c.column_name]])))
      await db.insertInto(table as never).values(values as never).execute()
    }
  }
}

/** The tables in an order their foreign keys accept: every referenced table before its referrers. */
async function parentsFirst(db: Db, tables: string[]): Promise<string[]> {
  const refs = await sql<{ child: string; parent: string }>`
    select conrelid::regclass::text as child, confrelid::regclass::text as parent
    from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`.execute(db)
  const order: string[] = []
  const visit = (table: string) => {
    if (order.includes(table)) return
    for (const r of refs.rows) if (r.child === table && r.parent !== table) visit(r.parent)
    order.push(table)
  }
  tables.forEach(visit)
  return order
}

/** The rows of each table the step had, cut to the step's columns. */
function cut(rows: Map<string, Row[]>, at: Column[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>()
  for (const table of new Set(at.map((c) => c.table_name))) {
    const cols = at.filter((c) => c.table_name === table).map((c) => c.column_name)
    out.set(table, (rows.get(table) ?? []).map((r) => Object.fromEntries(cols.map((c) => [c, r[c]]))))
  }
  return out
}

beforeAll(async () => {
  up = await startAllUpstreams(NOW)
  const results = await seedAllSources(t, up, NOW)
  expect(results.filter((r) => r.status === 'failed')).toEqual([])
  seeded = await dump(t.db)
  steps = (await migrator(t.db).getMigrations()).map((m) => m.name)
}, 180_000)
afterAll(() => up?.stop())

describe('upgrading a database with data in it', () => {
  it('fills every table, so no migration is tried on an empty one', () => {
    const empty = [...seeded].filter(([, rows]) => rows.length === 0).map(([table]) => table)
    // Leases and ticks are written only while the scheduler runs jobs, which a seed does not.
    expect(empty).toEqual(['job_leases', 'job_ticks'])
  })

  it('from every earlier migration step to the latest, every row and value kept', async () => {
    expect(steps.length).toBeGreaterThan(1)
    for (const step of steps.slice(0, -1)) {
      await emptySchema(t.db)
      await migrator(t.db).migrateTo(step)
      const at = await columns(t.db)
      const before = cut(seeded, at)
      await restore(t.db, before)
      await migrateToLatest(t.db)
      // The catalog sync at start runs on the upgraded database too: it must keep the rows as well.
      await syncCatalog(t.db, t.catalog)
      const after = cut(await dump(t.db), at)
      for (const [table, rows] of before) expect(after.get(table), `${table}, upgraded from ${step}`).toEqual(rows)
    }
  }, 240_000)
})
