import type { Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// A release event's content follows the best data stored for its version (the GitHub release's
// name and notes arrive after the registry's bare row), so a re-derivation may rewrite it; its
// id, occurred_at and created_at never change. revised_at is when its content last changed, null
// while it is as first stored: the item's Atom <updated> and the feed's Last-Modified.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('revised_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('revised_at').execute()
}
