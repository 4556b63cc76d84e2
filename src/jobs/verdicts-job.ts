import { loadCatalog } from '../catalog/catalog.js'
import { loadClaims, type Claim } from '../catalog/claims.js'
import { verdictChanges } from '../claims/changes.js'
import { verdicts } from '../claims/verdict.js'
import type { Db } from '../db/database.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { claimInputs } from '../db/queries/claim-inputs.js'
import { storedVerdicts } from '../db/queries/claim-verdicts.js'
import { deleteVerdicts, upsertVerdicts } from '../db/verdict-writes.js'
import { bumpDataVersion, insertEvents } from '../db/writes.js'
import { toEventRow } from './events.js'
import { verdictEvent } from './events/verdicts.js'
import { describeError, type RunContext, type SubjectResult } from './run-source.js'

export interface VerdictJobOptions {
  catalogFile?: string | undefined
  claimsFile?: string | undefined
}

/**
 * Recomputes every claim's verdict from the stored data after a job, stores the changed ones and
 * derives an event per flip. Like runEvents, a failure is a job_runs row ('verdicts') and a log
 * line, never the job's crash.
 */
export async function runVerdicts(ctx: RunContext, options: VerdictJobOptions = {}): Promise<SubjectResult> {
  const result = { source: 'verdicts', framework: '*', notModified: 0 }
  let runId: string | undefined
  try {
    runId = await startRun(ctx.db, { job: 'verdicts', source: 'verdicts', frameworkId: null })
    const claims = loadClaims(loadCatalog(options.catalogFile), options.claimsFile)
    const written = await computeAndStore(ctx.db, claims, ctx.now?.() ?? new Date())
    await finishRun(ctx.db, runId, { status: 'succeeded', rowsWritten: written })
    ctx.log.info({ source: 'verdicts', written }, 'verdicts computed')
    return { ...result, status: 'succeeded', rowsWritten: written }
  } catch (error) {
    const message = `verdicts: ${describeError(error)}`
    ctx.log.warn({ source: 'verdicts', err: message }, 'verdict computation failed')
    if (runId !== undefined) await finishRun(ctx.db, runId, { status: 'failed', error: message }).catch(() => undefined)
    return { ...result, status: 'failed', rowsWritten: 0, error: message }
  }
}

async function computeAndStore(db: Db, claims: Claim[], now: Date): Promise<number> {
  const inputs = await claimInputs(db, now)
  const changes = verdictChanges(await storedVerdicts(db), verdicts(claims, inputs, now), now)
  const byId = new Map(claims.map((c) => [c.id, c]))
  const frameworks = new Map(inputs.frameworks.map((f) => [f.id, f]))
  const events = changes.flips.map((flip) =>
    toEventRow(verdictEvent(byId.get(flip.verdict.claim_id)!, frameworks.get(flip.verdict.framework_id)!, flip, now), undefined, now),
  )
  return db.transaction().execute(async (trx) => {
    const written = (await upsertVerdicts(trx, changes.rows)) + (await deleteVerdicts(trx, changes.removed))
    const added = await insertEvents(trx, events)
    // Pages show verdicts: a changed one must reach every process's render cache.
    if (written + added > 0) await bumpDataVersion(trx)
    return written + added
  })
}
