import type { NewClaimVerdict } from './schema.js'
import type { Executor } from './writes.js'

/** Inserts or replaces verdicts; the caller passes only rows that changed. */
export async function upsertVerdicts(db: Executor, rows: NewClaimVerdict[]): Promise<number> {
  if (rows.length === 0) return 0
  await db
    .insertInto('claim_verdicts')
    .values(rows)
    .onConflict((oc) =>
      oc.column('claim_id').doUpdateSet((eb) => ({
        framework_id: eb.ref('excluded.framework_id'),
        quote: eb.ref('excluded.quote'),
        why: eb.ref('excluded.why'),
        status: eb.ref('excluded.status'),
        reason: eb.ref('excluded.reason'),
        measurement: eb.ref('excluded.measurement'),
        measured_status: eb.ref('excluded.measured_status'),
        changed_at: eb.ref('excluded.changed_at'),
      })),
    )
    .execute()
  return rows.length
}

/** Removes the verdicts of claims no longer in the claims file. */
export async function deleteVerdicts(db: Executor, claimIds: string[]): Promise<number> {
  if (claimIds.length === 0) return 0
  const result = await db.deleteFrom('claim_verdicts').where('claim_id', 'in', claimIds).executeTakeFirst()
  return Number(result.numDeletedRows)
}
