import type { Db } from '../db/database.js'
import { eventInputs, knownEventIds } from '../db/queries/events.js'
import { bumpDataVersion, insertEvents, upsertEvents } from '../db/writes.js'
import { runDerivedStep } from './derived-step.js'
import { deriveEvents, followsData, toEventRow } from './events.js'
import type { RunContext, SubjectResult } from './run-source.js'

export interface EventJobOptions {
  trendThresholdPct: number
}

/**
 * Derives events from everything stored after a job: inserts the new ones and rewrites the
 * release events whose version's data changed (the GitHub release arriving after the registry's
 * row, a version reclassified), so running it again over unchanged data writes nothing.
 */
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
  const rows = drafts.map((d) => toEventRow(d, now))
  return db.transaction().execute(async (trx) => {
    const written = (await upsertEvents(trx, rows.filter(followsData))) + (await insertEvents(trx, rows.filter((r) => !followsData(r))))
    if (written > 0) await bumpDataVersion(trx)
    return written
  })
}
