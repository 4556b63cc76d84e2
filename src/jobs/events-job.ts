import type { Db } from '../db/database.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { eventInputs, knownEventIds, releaseKey, releaseNotes } from '../db/queries/events.js'
import { bumpDataVersion, insertEvents } from '../db/writes.js'
import { deriveEvents, toEventRow } from './events.js'
import { describeError, type RunContext, type SubjectResult } from './run-source.js'

export interface EventJobOptions {
  trendThresholdPct: number
}

/**
 * Derives events from everything stored and inserts the new ones, after a job. A failure is a
 * job_runs row ('events') and a log line, never the job's crash: the job's data is already safe.
 */
export async function runEvents(ctx: RunContext, options: EventJobOptions): Promise<SubjectResult> {
  const result = { source: 'events', framework: '*', notModified: 0 }
  let runId: string | undefined
  try {
    runId = await startRun(ctx.db, { job: 'events', source: 'events', frameworkId: null })
    const added = await deriveAndStore(ctx.db, options, ctx.now?.() ?? new Date())
    await finishRun(ctx.db, runId, { status: 'succeeded', rowsWritten: added })
    ctx.log.info({ source: 'events', added }, 'events derived')
    return { ...result, status: 'succeeded', rowsWritten: added }
  } catch (error) {
    const message = `events: ${describeError(error)}`
    ctx.log.warn({ source: 'events', err: message }, 'event derivation failed')
    if (runId !== undefined) await finishRun(ctx.db, runId, { status: 'failed', error: message }).catch(() => undefined)
    return { ...result, status: 'failed', rowsWritten: 0, error: message }
  }
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
