import { sql } from 'kysely'
import type { Db } from './database.js'

/** Claims a scheduled tick of a job; only one process in the whole deployment gets `true`. */
export async function claimTick(db: Db, job: string, tick: Date, holder: string): Promise<boolean> {
  const row = await db
    .insertInto('job_ticks')
    .values({ job, tick, holder, claimed_at: new Date() })
    .onConflict((oc) => oc.columns(['job', 'tick']).doNothing())
    .returning('job')
    .executeTakeFirst()
  return row !== undefined
}

/** Takes the job's lease if it is free or expired (its holder died); `true` when this holder has it. */
export async function acquireLease(db: Db, job: string, holder: string, ttlMs: number): Promise<boolean> {
  const expires = sql<Date>`now() + ${`${ttlMs} milliseconds`}::interval`
  const row = await db
    .insertInto('job_leases')
    .values({ job, holder, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column('job')
        .doUpdateSet({ holder, expires_at: expires })
        .where((eb) => eb.or([eb('job_leases.expires_at', '<', sql<Date>`now()`), eb('job_leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst()
  return row?.holder === holder
}

export async function renewLease(db: Db, job: string, holder: string, ttlMs: number): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({ expires_at: sql<Date>`now() + ${`${ttlMs} milliseconds`}::interval` })
    .where('job', '=', job)
    .where('holder', '=', holder)
    .execute()
}

export async function releaseLease(db: Db, job: string, holder: string): Promise<void> {
  await db.deleteFrom('job_leases').where('job', '=', job).where('holder', '=', holder).execute()
}

/** Jobs whose lease is still live: their 'running' rows belong to a process that is alive. */
export async function liveLeases(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('job_leases').select('job').where('expires_at', '>=', sql<Date>`now()`).execute()
  return rows.map((r) => r.job)
}

/** Old tick claims are only needed to stop a second claim of the same tick. */
export async function pruneTicks(db: Db, olderThan: Date): Promise<void> {
  await db.deleteFrom('job_ticks').where('tick', '<', olderThan).execute()
}
