import type { Claim, MeasuredRule } from '../catalog/claims.js'
import type { ClaimFramework, ClaimInputs } from '../db/queries/claim-inputs.js'
import { benchmarkPeerRank, benchmarkTopPct } from './benchmarks.js'
import { downloadsGrowth, downloadsRank, downloadsShare } from './downloads.js'
import { fmt, unmeasurable, type Measured, type Measurement } from './measurement.js'
import { releaseCount } from './releases.js'
import { starsGrowth, starsRank } from './stars.js'

export const VERDICT_STATUSES = ['supported', 'not supported', 'not measurable yet'] as const
export type VerdictStatus = (typeof VERDICT_STATUSES)[number]

export interface Verdict {
  claim_id: string
  framework_id: number
  quote: string
  why: string
  status: VerdictStatus
  /** Why, in one sentence: the comparison made, or what is missing. */
  reason: string
  measurement: Measurement | null
}

/**
 * The verdict engine: pure, from stored data (claimInputs) to one verdict per claim. A claim
 * about a framework no longer tracked gets none: its page is gone.
 */
export function verdicts(claims: Claim[], inputs: ClaimInputs, now: Date): Verdict[] {
  const bySlug = new Map(inputs.frameworks.map((f) => [f.slug, f]))
  return claims.flatMap((claim) => {
    const fw = bySlug.get(claim.framework)
    return fw ? [verdict(claim, fw, inputs, now)] : []
  })
}

export function verdict(claim: Claim, fw: ClaimFramework, inputs: ClaimInputs, now: Date): Verdict {
  const base = { claim_id: claim.id, framework_id: fw.id, quote: claim.quote, why: claim.why }
  const rule = claim.rule
  if (rule.metric === 'unmeasured') return { ...base, status: 'not measurable yet', reason: rule.reason, measurement: null }
  const result = measure(rule, fw, inputs, now)
  if (!result.ok) return { ...base, status: 'not measurable yet', reason: result.reason, measurement: null }
  const holds = judge(result.measurement.value, rule.comparison, rule.threshold)
  const sign = rule.comparison === 'at_least' ? '≥' : '≤'
  const reason = `${result.measurement.text}: ${holds ? '' : 'not '}${sign} ${fmt(rule.threshold)}${unitOf(rule)}`
  return { ...base, status: holds ? 'supported' : 'not supported', reason, measurement: result.measurement }
}

/** at_least and at_most both include the threshold itself. */
export function judge(value: number, comparison: 'at_least' | 'at_most', threshold: number): boolean {
  return comparison === 'at_least' ? value >= threshold : value <= threshold
}

function unitOf(rule: MeasuredRule): string {
  if (rule.metric.endsWith('_rank')) return ' (rank)'
  if (rule.metric === 'releases') return ' releases'
  return '%'
}

function measure(rule: MeasuredRule, fw: ClaimFramework, inputs: ClaimInputs, now: Date): Measured {
  switch (rule.metric) {
    case 'downloads_growth':
      return downloadsGrowth(inputs, fw, rule.days)
    case 'downloads_rank':
      return downloadsRank(inputs, fw, rule.days, rule.peers)
    case 'downloads_share':
      return downloadsShare(inputs, fw, rule.days, rule.peers)
    case 'stars_growth':
      return starsGrowth(inputs, fw, rule.days)
    case 'stars_rank':
      return starsRank(inputs, fw, rule.peers)
    case 'releases':
      return releaseCount(inputs, fw, rule.days, now)
    case 'benchmark_top_pct':
      return benchmarkTopPct(inputs, fw, rule)
    case 'benchmark_peer_rank':
      return benchmarkPeerRank(inputs, fw, rule, rule.peers)
    default:
      return unmeasurable('unknown metric')
  }
}
