import type { Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// Several worker processes may run the scheduler against one database: a tick row is claimed by
// exactly one of them, and a lease keeps a job from overlapping itself across processes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_ticks')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('tick', 'timestamptz', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_ticks_pk', ['job', 'tick'])
    .execute()

  // A lease, not an advisory lock: it needs no connection held for the length of a run (PGlite
  // has one), and a crashed holder's lease simply expires.
  await db.schema
    .createTable('job_leases')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_leases').execute()
  await db.schema.dropTable('job_ticks').execute()
}
