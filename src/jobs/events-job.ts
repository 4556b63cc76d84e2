import type { Db } from '../db/database.js'
import { eventInputs, knownEventIds, releaseKey, releaseNotes } from '../db/queries/events.js'
import { bumpDataVersion, insertEvents } from '../db/writes.js'
import { runDerivedStep } from './derived-step.js'
import { deriveEvents, toEventRow } from './events.js'
import type { RunContext, SubjectResult } from './run-source.js'

export interface EventJobOptions {
  trendThresholdPct: number
}

/** Derives events from everything stored and inserts the new ones, after a job. */
export function runEvents(ctx: RunContext, options: EventJobOptions): Promise<SubjectResult> {
  return runDerivedStep(ctx, {
    name: 'events',
    done: 'events derived',
    failed: 'event derivation failed',
    run: (now) => deriveAndStore(ctx.db, options, now),
  })
}

async function deriveAndStore(db: Db, options: EventJobOptions, now: Date): Promise<number> {
  const known = await knownEventIds(db)
  const inputs = await eventInputs(db)
  const drafts = deriveEvents(inputs, { trendThresholdPct: options.trendThresholdPct, known })
  if (drafts.length === 0) return 0
  const notes = await releaseNotes(db, drafts.flatMap((d) => (d.notes ? [d.notes] : [])))
  const rows = drafts.map((d) => toEventRow(d, d.notes && notes.get(releaseKey(d.notes)), now))
  return db.transaction().execute(async (trx) => {
    const added = await insertEvents(trx, rows)
    if (added > 0) await bumpDataVersion(trx)
    return added
  })
}
