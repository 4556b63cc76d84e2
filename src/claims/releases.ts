import type { ClaimFramework, ClaimInputs } from '../db/queries/claim-inputs.js'
import { toDay } from '../days.js'
import { newest } from '../newest.js'
import { measured, unmeasurable, type Measured } from './measurement.js'

const DAY_MS = 86_400_000

/** Stable versions published in the last `days` up to `now`, one per version across sources. */
export function releaseCount(inputs: ClaimInputs, fw: ClaimFramework, days: number, now: Date): Measured {
  const all = inputs.releases.filter((r) => r.framework_id === fw.id)
  if (all.length === 0) return unmeasurable(`no stable release of ${fw.name} stored from the last two years`)
  const since = new Date(now.getTime() - days * DAY_MS)
  const versions = [...new Set(all.filter((r) => r.published_at > since && r.published_at <= now).map((r) => r.version))]
  const latest = all.reduce((a, b) => (b.published_at > a.published_at ? b : a))
  return measured({
    value: versions.length,
    text: `${versions.length} stable releases in the last ${days} days`,
    source: 'registries and GitHub',
    period: { from: toDay(since), to: toDay(now) },
    fetched_at: newest(all.map((r) => r.fetched_at))!.toISOString(),
    figures: [
      { label: 'versions', value: versions.slice(-8).join(', ') + (versions.length > 8 ? ', …' : '') || 'none' },
      { label: 'newest stable release', value: `${latest.version} (${toDay(latest.published_at)})` },
    ],
    chart: `/frameworks/${fw.slug}#releases-title`,
  })
}
