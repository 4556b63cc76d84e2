import type { Claim } from '../../catalog/claims.js'
import type { Flip } from '../../claims/changes.js'
import type { FrameworkName } from '../../db/queries/events.js'
import { oneLine } from '../../xml-text.js'
import type { EventDraft } from '../events.js'
import { paragraph } from './event-html.js'

/**
 * A claim whose verdict flipped between supported and not supported. Dated by the newest day the
 * figures cover (when it showed in the data), or when it was judged for figures with no day (a
 * benchmark run). The id names the claim, the new status and that date, so a re-sync over the
 * same data finds it stored.
 */
export function verdictEvent(claim: Claim, framework: FrameworkName, flip: Flip, now: Date): EventDraft {
  const { verdict } = flip
  const m = verdict.measurement
  const day = m?.period?.to ?? now.toISOString().slice(0, 10)
  const summary = oneLine(`The guide says ${framework.name} ${claim.quote}: ${verdict.reason}.`, 400)
  return {
    id: `verdict:${claim.id}:${verdict.status.replace(/ /g, '-')}:${day}`,
    framework_id: framework.id,
    kind: 'verdict',
    occurred_at: new Date(`${day}T00:00:00Z`),
    title: oneLine(`${framework.name}: “${claim.quote}” is now ${verdict.status} (was ${flip.from})`, 200),
    summary,
    content_html: paragraph(summary) + (m ? paragraph(`Source: ${m.source}.`) : ''),
    url: null,
    data: { claim_id: claim.id, status: verdict.status, from: flip.from, reason: verdict.reason, measurement: m },
  }
}
