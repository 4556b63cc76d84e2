import { describe, expect, it } from 'vitest'
import { verdictChanges } from '../../src/claims/changes.js'
import type { Verdict } from '../../src/claims/verdict.js'
import type { ClaimVerdictRow } from '../../src/db/schema.js'
import { NOW, downloads, empty, growth, judge } from './claim-inputs.js'

describe('verdict changes', () => {
  const stored = (v: Verdict, measured: ClaimVerdictRow['measured_status']): ClaimVerdictRow => ({
    ...v, measurement: v.measurement as unknown as Record<string, unknown> | null, measured_status: measured, changed_at: NOW,
  })

  it('a flip is measured against the last measured status; the first verdict and an unchanged one are none', () => {
    const supported = judge('fastapi', growth, { ...empty(), downloads: downloads(1, 'pypi', 28, 1250, 1000) })
    const notSupported = judge('fastapi', growth, { ...empty(), downloads: downloads(1, 'pypi', 28, 1000, 1000) })
    const unmeasurable = judge('fastapi', growth, empty())
    expect(verdictChanges(new Map(), [supported], NOW).flips).toEqual([])
    const same = verdictChanges(new Map([[supported.claim_id, stored(supported, 'supported')]]), [supported], NOW)
    expect(same).toEqual({ rows: [], removed: [], flips: [] })
    const gap = verdictChanges(new Map([[supported.claim_id, stored(unmeasurable, 'supported')]]), [notSupported], NOW)
    expect(gap.flips).toEqual([{ verdict: notSupported, from: 'supported' }])
    expect(verdictChanges(new Map([['gone', stored(supported, null)]]), [], NOW).removed).toEqual(['gone'])
  })
})
