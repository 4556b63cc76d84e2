import { sql } from 'kysely'
import type { Db } from './database.js'
import { liveLeases } from './job-coordination.js'
import { bumpDataVersion, type Executor } from './writes.js'
import type { JobRunRow, JobStatus, SignalName } from './schema.js'

export interface RunSubject {
  job: string
  source: string
  frameworkId: number | null
  /** The signal a source's run collects (jobs/sources/source.ts); absent for whole-job runs. */
  signal?: SignalName | undefined
}

export async function startRun(db: Db, subject: RunSubject): Promise<string> {
  const { id } = await db
    .insertInto('job_runs')
    .values({
      job: subject.job,
      source: subject.source,
      framework_id: subject.frameworkId,
      signal: subject.signal ?? null,
      // The database's clock, as data_version.changed_at: finishRun compares the two.
      started_at: sql<Date>`now()`,
      status: 'running',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // A first run turns "not synced yet" into "first sync running" on the pages: refresh them.
  if ((await previousRun(db, id, { finished: false })) === undefined) await bumpDataVersion(db)
  return id
}

export interface RunOutcome {
  status: Exclude<JobStatus, 'running'>
  rowsWritten?: number
  notModified?: number
  error?: string | null
}

export async function finishRun(db: Db, id: string, outcome: RunOutcome): Promise<void> {
  // Pages show each source's last outcome (a failure beside its figures, "sync running" where
  // nothing is stored yet): a first run, a run that writes no data but fails, recovers or fails
  // differently, and a run some page may have been rendered "running" during (the data version
  // moved since it started) must refresh them. A steady re-sync must not, so unchanged pages keep
  // their ETags. The row is updated before the version moves, in one transaction, so no page is
  // rendered under the new version with the run still "running".
  await db.transaction().execute(async (trx) => {
    const previous = await previousRun(trx, id, { finished: true })
    const run = await trx
      .updateTable('job_runs')
      .set({
        finished_at: new Date(),
        status: outcome.status,
        rows_written: outcome.rowsWritten ?? 0,
        not_modified: outcome.notModified ?? 0,
        error: outcome.error ?? null,
      })
      .where('id', '=', id)
      .returning('started_at')
      .executeTakeFirstOrThrow()
    const changed = !previous || previous.status !== outcome.status || previous.error !== (outcome.error ?? null)
    if (changed || (await versionMovedSince(trx, run.started_at))) await bumpDataVersion(trx)
  })
}

async function versionMovedSince(db: Executor, since: Date): Promise<boolean> {
  const row = await db.selectFrom('data_version').select('changed_at').where('changed_at', '>=', since).executeTakeFirst()
  return row !== undefined
}

/** The run before `id` of the same job, source, framework and signal (a finished one, or any). */
async function previousRun(db: Executor, id: string, { finished }: { finished: boolean }) {
  let query = db
    .selectFrom('job_runs as prev')
    .innerJoin('job_runs as cur', (join) =>
      join
        .onRef('cur.job', '=', 'prev.job')
        .onRef('cur.source', '=', 'prev.source')
        .on((eb) => eb.or([eb('cur.framework_id', '=', eb.ref('prev.framework_id')), eb.and([eb('cur.framework_id', 'is', null), eb('prev.framework_id', 'is', null)])]))
        .on((eb) => eb('cur.signal', 'is not distinct from', eb.ref('prev.signal'))),
    )
    .select(['prev.status', 'prev.error'])
    .where('cur.id', '=', id)
    .where('prev.id', '<', id)
  if (finished) query = query.where('prev.status', '!=', 'running')
  return query.orderBy('prev.id', 'desc').limit(1).executeTakeFirst()
}

/**
 * Runs left 'running' by a process that died, called at start-up so the status page is honest.
 * A job whose lease is live is running in another process right now: its rows are left alone.
 */
export async function markAbandonedRuns(db: Db): Promise<void> {
  const live = await liveLeases(db)
  let query = db
    .updateTable('job_runs')
    .set({ status: 'interrupted', finished_at: new Date(), error: 'the process stopped during this run' })
    .where('status', '=', 'running')
  if (live.length > 0) query = query.where('job', 'not in', live)
  await query.execute()
}

/** Marks this process's unfinished runs of `jobs` interrupted (shutdown after the grace period). */
export async function interruptRuns(db: Db, jobs: string[]): Promise<void> {
  if (jobs.length === 0) return
  await db
    .updateTable('job_runs')
    .set({ status: 'interrupted', finished_at: new Date(), error: 'stopped by shutdown; resumes on the next run' })
    .where('status', '=', 'running')
    .where('job', 'in', jobs)
    .execute()
}

export async function lastSuccessAt(db: Db, job: string): Promise<Date | null> {
  const row = await db
    .selectFrom('job_runs')
    .select((eb) => eb.fn.max('finished_at').as('at'))
    .where('job', '=', job)
    .where('status', '=', 'succeeded')
    .executeTakeFirst()
  return row?.at ?? null
}

export type LatestRun = JobRunRow & { framework_slug: string | null; last_success_at: Date | null }

/**
 * The newest run per (job, source, framework, signal), with when that subject last succeeded. A
 * row from before signals (a source's run of a framework with signal null) is left out once a run
 * of a signal of it is newer: it would otherwise stand on /status for good.
 */
export async function latestRuns(db: Db): Promise<LatestRun[]> {
  const runs = await db
    .selectFrom('job_runs as r')
    .leftJoin('frameworks as f', 'f.id', 'r.framework_id')
    .selectAll('r')
    .select('f.slug as framework_slug')
    .select((eb) =>
      eb
        .selectFrom('job_runs as s')
        .select((s) => s.fn.max('s.finished_at').as('at'))
        .whereRef('s.job', '=', 'r.job')
        .whereRef('s.source', '=', 'r.source')
        .where((s) =>
          s.or([
            s('s.framework_id', '=', s.ref('r.framework_id')),
            s.and([s('s.framework_id', 'is', null), s('r.framework_id', 'is', null)]),
          ]),
        )
        .where((s) => s('s.signal', 'is not distinct from', s.ref('r.signal')))
        .where('s.status', '=', 'succeeded')
        .as('last_success_at'),
    )
    .distinctOn(['r.job', 'r.source', 'r.framework_id', 'r.signal'])
    .orderBy('r.job')
    .orderBy('r.source')
    .orderBy('r.framework_id')
    .orderBy('r.signal')
    .orderBy('r.started_at', 'desc')
    .execute()
  const superseded = (old: LatestRun) =>
    old.framework_id !== null &&
    old.signal === null &&
    runs.some((r) => r.signal !== null && r.job === old.job && r.source === old.source && r.framework_id === old.framework_id && r.started_at > old.started_at)
  return runs.filter((r) => !superseded(r))
}
