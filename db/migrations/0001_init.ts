import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add 0002_… for changes. Imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('frameworks')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('guide_heading', 'text', (c) => c.notNull())
    // Catalog order; frameworks dropped from the catalog keep their data but leave the pages.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('tracked', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute()

  // Which package / repository / benchmark name stands for a framework on each source.
  await db.schema
    .createTable('framework_sources')
    .addColumn('framework_id', 'integer', (c) => c.notNull().references('frameworks.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('framework_sources_pk', ['framework_id', 'source', 'identity'])
    .execute()

  // One value per (framework, source, subject, metric, day); `subject` is the package or repo
  // the value belongs to, so a framework with two npm packages keeps both series apart.
  await db.schema
    .createTable('observations')
    .addColumn('framework_id', 'integer', (c) => c.notNull().references('frameworks.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    // Column order serves the pages' query: one framework's metric over a day range.
    .addPrimaryKeyConstraint('observations_pk', ['framework_id', 'metric', 'source', 'subject', 'day'])
    .execute()

  await db.schema
    .createTable('releases')
    .addColumn('framework_id', 'integer', (c) => c.notNull().references('frameworks.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('prerelease', 'boolean', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('notes_html', 'text')
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('releases_pk', ['framework_id', 'source', 'subject', 'version'])
    .execute()
  // Release lists and feeds read a framework's newest releases first.
  await db.schema
    .createIndex('releases_recent_idx')
    .on('releases')
    .columns(['framework_id', 'published_at desc'])
    .execute()

  // The guide's section about each framework, as last fetched (or the bundled snapshot).
  await db.schema
    .createTable('guide_sections')
    .addColumn('framework_id', 'integer', (c) => c.primaryKey().references('frameworks.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text', (c) => c.notNull())
    .addColumn('paragraphs', 'jsonb', (c) => c.notNull())
    .addColumn('post_url', 'text', (c) => c.notNull())
    .addColumn('post_title', 'text', (c) => c.notNull())
    .addColumn('post_modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('framework_id', 'integer', (c) => c.references('frameworks.id').onDelete('cascade'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_written', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_modified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute()
  // The status page and the staleness check read the latest runs per job/source/framework.
  await db.schema
    .createIndex('job_runs_latest_idx')
    .on('job_runs')
    .columns(['job', 'source', 'framework_id', 'started_at desc'])
    .execute()

  // Validators for conditional requests, per URL (ETag / Last-Modified).
  await db.schema
    .createTable('http_cache')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull())
    .execute()

  // Bumped by every write that changes data; render caches in every process key on it.
  await db.schema
    .createTable('data_version')
    .addColumn('id', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db
    .insertInto('data_version')
    .values({ id: true, version: 1, changed_at: sql`now()` })
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'data_version',
    'http_cache',
    'job_runs',
    'guide_sections',
    'releases',
    'observations',
    'framework_sources',
    'frameworks',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
