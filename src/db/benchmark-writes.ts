import type { Executor } from './writes.js'
import type { NewBenchmarkResult, NewBenchmarkRun } from './schema.js'

// 1,000 rows × 25 columns stays below Postgres' 65,535 bind-parameter limit.
const CHUNK = 1000

/**
 * Inserts a run and all its results, or nothing when the run is already stored (same source and
 * run key): returns the number of results written, or null for a run imported before. Call it in
 * a transaction so a failure leaves no partial run.
 */
export async function insertBenchmarkRun(
  db: Executor,
  run: NewBenchmarkRun,
  results: Omit<NewBenchmarkResult, 'run_id'>[],
): Promise<number | null> {
  const inserted = await db
    .insertInto('benchmark_runs')
    .values(run)
    .onConflict((oc) => oc.columns(['source', 'run_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) return null
  for (let i = 0; i < results.length; i += CHUNK) {
    const chunk = results.slice(i, i + CHUNK).map((r) => ({ ...r, run_id: inserted.id }))
    await db.insertInto('benchmark_results').values(chunk).execute()
  }
  return results.length
}
