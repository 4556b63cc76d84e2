import type { Kysely } from 'kysely'

// Frozen: never edit after merge. Imports no application code.
// A source collects each signal of a framework (downloads, releases, snapshot, star history,
// tags) as its own unit, so one failing endpoint no longer hides the others: each run row names
// its signal. Rows from before are per (source, framework) and keep signal null; jobs that are no
// source's (guide, events, verdicts, benchmarks) keep null too.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('job_runs').addColumn('signal', 'text').execute()
  // The pages and /status read the newest run per job, source, framework and now signal.
  await db.schema.dropIndex('job_runs_latest_idx').execute()
  await db.schema
    .createIndex('job_runs_latest_idx')
    .on('job_runs')
    .columns(['job', 'source', 'framework_id', 'signal', 'started_at desc'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('job_runs_latest_idx').execute()
  await db.schema.alterTable('job_runs').dropColumn('signal').execute()
  await db.schema
    .createIndex('job_runs_latest_idx')
    .on('job_runs')
    .columns(['job', 'source', 'framework_id', 'started_at desc'])
    .execute()
}
