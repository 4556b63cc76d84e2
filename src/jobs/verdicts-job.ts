import { loadCatalog } from '../catalog/catalog.js'
import { loadClaims, type Claim } from '../catalog/claims.js'
import { verdictChanges } from '../claims/changes.js'
import { verdicts } from '../claims/verdict.js'
import type { Db } from '../db/database.js'
import { claimInputs } from '../db/queries/claim-inputs.js'
import { storedVerdicts } from '../db/queries/claim-verdicts.js'
import { deleteVerdicts, upsertVerdicts } from '../db/verdict-writes.js'
import { bumpDataVersion, insertEvents } from '../db/writes.js'
import { runDerivedStep } from './derived-step.js'
import { toEventRow } from './events.js'
import { verdictEvent } from './events/verdicts.js'
import type { RunContext, SubjectResult } from './run-source.js'

export interface VerdictJobOptions {
  catalogFile?: string | undefined
  claimsFile?: string | undefined
}

/**
 * Recomputes every claim's verdict from the stored data after a job, stores the changed ones and
 * derives an event per flip.
 */
export function runVerdicts(ctx: RunContext, options: VerdictJobOptions = {}): Promise<SubjectResult> {
  return runDerivedStep(ctx, {
    name: 'verdicts',
    done: 'verdicts computed',
    failed: 'verdict computation failed',
    run: (now) => computeAndStore(ctx.db, loadClaims(loadCatalog(options.catalogFile), options.claimsFile), now),
  })
}

async function computeAndStore(db: Db, claims: Claim[], now: Date): Promise<number> {
  const inputs = await claimInputs(db, now)
  const changes = verdictChanges(await storedVerdicts(db), verdicts(claims, inputs, now), now)
  const byId = new Map(claims.map((c) => [c.id, c]))
  const frameworks = new Map(inputs.frameworks.map((f) => [f.id, f]))
  const events = changes.flips.map((flip) =>
    toEventRow(verdictEvent(byId.get(flip.verdict.claim_id)!, frameworks.get(flip.verdict.framework_id)!, flip, now), now),
  )
  return db.transaction().execute(async (trx) => {
    const written = (await upsertVerdicts(trx, changes.rows)) + (await deleteVerdicts(trx, changes.removed))
    const added = await insertEvents(trx, events)
    // Pages show verdicts: a changed one must reach every process's render cache.
    if (written + added > 0) await bumpDataVersion(trx)
    return written + added
  })
}
