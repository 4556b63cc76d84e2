import type { Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// Published benchmark results (issue 6): TechEmpower Framework Benchmarks runs and
// the-benchmarker/web-frameworks runs, each imported once and kept, never mixed in one number.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('benchmark_runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    // 'techempower' | 'the-benchmarker'
    .addColumn('source', 'text', (c) => c.notNull())
    // What makes a run the same run: TFB's uuid, the-benchmarker's updated_at.
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uuid', 'text')
    .addColumn('environment', 'text')
    .addColumn('hardware', 'jsonb')
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('commit', 'text')
    // The results file itself, and the configured entry that led to it (a tfb-status metadata
    // URL names its raw file): a published file never changes, so either one is never fetched again.
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('listed_as', 'text', (c) => c.notNull())
    // The configured test duration (TFB divides successful requests by it) and the load levels.
    .addColumn('duration_s', 'double precision')
    .addColumn('levels', 'jsonb', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    // A run is imported once: a second import of the same run inserts nothing.
    .addUniqueConstraint('benchmark_runs_source_key', ['source', 'run_key'])
    .execute()

  // Every implementation in a run, tracked or not, so ranks stay explainable from the table.
  await db.schema
    .createTable('benchmark_results')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) =>
      c.notNull().references('benchmark_runs.id').onDelete('cascade'),
    )
    // Null for frameworks outside the catalog (kept for the ranks).
    .addColumn('framework_id', 'integer', (c) => c.references('frameworks.id').onDelete('set null'))
    // The source's own framework name: TFB testMetadata.framework, the-benchmarker language/label.
    .addColumn('framework', 'text', (c) => c.notNull())
    .addColumn('test_type', 'text', (c) => c.notNull())
    .addColumn('variant', 'text', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('represents', 'boolean', (c) => c.notNull())
    .addColumn('requests_per_s', 'double precision')
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('queries', 'integer')
    .addColumn('latency_avg_ms', 'double precision')
    .addColumn('latency_stdev_ms', 'double precision')
    .addColumn('latency_max_ms', 'double precision')
    .addColumn('latency_p50_ms', 'double precision')
    .addColumn('latency_p75_ms', 'double precision')
    .addColumn('latency_p90_ms', 'double precision')
    .addColumn('latency_p99_ms', 'double precision')
    .addColumn('latency_p99999_ms', 'double precision')
    .addColumn('rank', 'integer')
    .addColumn('out_of', 'integer')
    // The upstream figures at the chosen level, verbatim, so every stored number can be re-derived.
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('benchmark_results_key', ['run_id', 'test_type', 'variant', 'concurrency'])
    .execute()
  // Framework pages read one framework's representative results across all runs.
  await db.schema
    .createIndex('benchmark_results_framework_idx')
    .on('benchmark_results')
    .columns(['framework_id', 'represents'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('benchmark_results').execute()
  await db.schema.dropTable('benchmark_runs').execute()
}
