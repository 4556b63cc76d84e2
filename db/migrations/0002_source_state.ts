import type { Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// Per-source progress that is neither an observation nor a release: a backfill cursor that
// lets a rate-limited source resume where it stopped, or the last known rate-limit budget.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('source_state')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_state_pk', ['source', 'key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('source_state').execute()
}
