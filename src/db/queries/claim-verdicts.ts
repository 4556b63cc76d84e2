import type { Db } from '../database.js'
import type { ClaimVerdictRow } from '../schema.js'

/** Every stored verdict, by claim id: the verdict step compares new verdicts with these. */
export async function storedVerdicts(db: Db): Promise<Map<string, ClaimVerdictRow>> {
  const rows = await db.selectFrom('claim_verdicts').selectAll().execute()
  return new Map(rows.map((r) => [r.claim_id, r]))
}

/** A framework page's verdicts. */
export async function frameworkVerdicts(db: Db, frameworkId: number): Promise<ClaimVerdictRow[]> {
  return db.selectFrom('claim_verdicts').selectAll().where('framework_id', '=', frameworkId).orderBy('claim_id').execute()
}
