import type { ClaimVerdictRow, NewClaimVerdict } from '../db/schema.js'
import type { Verdict } from './verdict.js'

export interface Flip {
  verdict: Verdict
  from: 'supported' | 'not supported'
}

export interface VerdictChanges {
  /** Verdicts whose status, reason or figures differ from the stored row (or have none). */
  rows: NewClaimVerdict[]
  /** Claims no longer in the file. */
  removed: string[]
  /** Measured verdicts whose status differs from the last measured one: feed events. */
  flips: Flip[]
}

const isMeasured = (s: string): s is 'supported' | 'not supported' => s === 'supported' || s === 'not supported'

/**
 * Compares new verdicts with the stored ones. Unchanged verdicts are left alone, so a sync that
 * changes nothing writes nothing and the data version stays. A claim's first measured verdict is
 * no flip: there was nothing to flip from.
 */
export function verdictChanges(stored: Map<string, ClaimVerdictRow>, next: Verdict[], now: Date): VerdictChanges {
  const rows: NewClaimVerdict[] = []
  const flips: Flip[] = []
  for (const v of next) {
    const old = stored.get(v.claim_id)
    const measurement = v.measurement ? JSON.stringify(v.measurement) : null
    const previous = old?.measured_status ?? null
    const measuredStatus = isMeasured(v.status) ? v.status : previous
    if (previous && isMeasured(v.status) && v.status !== previous) flips.push({ verdict: v, from: previous })
    const same =
      old &&
      old.framework_id === v.framework_id &&
      old.quote === v.quote &&
      old.why === v.why &&
      old.status === v.status &&
      old.reason === v.reason &&
      sameFigures(old.measurement, v.measurement) &&
      old.measured_status === measuredStatus
    if (same) continue
    rows.push({ ...v, measurement, measured_status: measuredStatus, changed_at: now })
  }
  const ids = new Set(next.map((v) => v.claim_id))
  return { rows, removed: [...stored.keys()].filter((id) => !ids.has(id)), flips }
}

// A re-fetch of the same figures moves fetched_at only: the stored row keeps the fetch that first
// gave these figures, so an unchanged sync writes nothing and cached pages stay valid.
function sameFigures(old: Record<string, unknown> | null, next: Verdict['measurement']): boolean {
  const strip = (m: Record<string, unknown> | null) => (m ? canonical({ ...m, fetched_at: null }) : null)
  return strip(old) === strip(next as Record<string, unknown> | null)
}

// jsonb gives keys back in its own order: compare with keys sorted.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
