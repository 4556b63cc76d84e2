import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// What happened to each framework, derived from stored data after every sync and served as
// feeds. Rows are only ever inserted: the id is stable (e.g. 'release:express:5.1.0'), so a
// re-sync never adds an item twice nor re-dates one, and history stays when upstream forgets it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null for events about no single framework, such as the guide itself being updated.
    .addColumn('framework_id', 'integer', (c) => c.references('frameworks.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // When it happened (a release's published_at), not when a sync noticed: readers sort on it.
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    // One plain-text sentence; content_html is the sanitized, trimmed body.
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('content_html', 'text')
    .addColumn('url', 'text')
    // The figures behind the text (versions, counts, means), for later pages and checks.
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // When the event was derived: a feed's Last-Modified is its newest created_at.
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // A framework's feed: its newest events first. Global events (framework_id null) are read
  // through the same index, as btree indexes keep nulls.
  await db.schema
    .createIndex('events_framework_recent_idx')
    .on('events')
    .columns(['framework_id', 'occurred_at desc'])
    .execute()
  // The site-wide feed: the newest events of all frameworks.
  await db.schema.createIndex('events_recent_idx').on('events').columns(['occurred_at desc']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('events').execute()
}
