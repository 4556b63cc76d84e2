import type { Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// The verdict on each of the guide's claims (src/catalog/claims.json), recomputed after every
// sync. One row per claim: the current verdict with the figures behind it. History lives in the
// events table, where a verdict that flips becomes a feed item.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claim_verdicts')
    // The claim's id in the claims file; a claim removed from the file has its row deleted.
    .addColumn('claim_id', 'text', (c) => c.primaryKey())
    .addColumn('framework_id', 'integer', (c) => c.notNull().references('frameworks.id').onDelete('cascade'))
    // The claim as judged (its quote of the guide and why its rule stands for it), so pages show
    // the verdict with no need for the claims file.
    .addColumn('quote', 'text', (c) => c.notNull())
    .addColumn('why', 'text', (c) => c.notNull())
    // 'supported', 'not supported' or 'not measurable yet'.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // The value judged, its period, source, fetch time and figures; null when not measurable.
    .addColumn('measurement', 'jsonb')
    // The last measured status ('supported' or 'not supported'): a flip is judged against it, so
    // a stretch of "not measurable yet" between two measured verdicts neither hides nor fakes one.
    .addColumn('measured_status', 'text')
    // When the row last changed: pages say how fresh a verdict is.
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // A framework page reads its claims' verdicts.
  await db.schema.createIndex('claim_verdicts_framework_idx').on('claim_verdicts').column('framework_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_verdicts').execute()
}
