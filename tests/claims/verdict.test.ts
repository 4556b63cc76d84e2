import { describe, expect, it } from 'vitest'
import type { ClaimRule } from '../../src/catalog/claims.js'
import type { BenchmarkEntry, DownloadDay } from '../../src/db/queries/claim-inputs.js'
import { addDays } from '../../src/days.js'
import { LAST, NOW, downloads, empty, growth, judge } from './claim-inputs.js'

describe('downloads growth', () => {
  it('is supported at exactly the threshold and not just below it', () => {
    const at = { ...empty(), downloads: downloads(1, 'pypi', 28, 1250, 1000) }
    expect(judge('fastapi', growth, at)).toMatchObject({ status: 'supported', measurement: { value: 25, source: 'pypi', period: { to: LAST } } })
    const below = { ...empty(), downloads: downloads(1, 'pypi', 28, 1249, 1000) }
    const v = judge('fastapi', growth, below)
    expect(v.status).toBe('not supported')
    expect(v.reason).toMatch(/\+24\.9% mean daily downloads.*not ≥ 25%/)
    expect(v.measurement!.chart).toBe('/frameworks/fastapi?range=90d#trend-chart')
  })

  it('is not measurable with too few days, saying how many are stored and needed', () => {
    const short = { ...empty(), downloads: downloads(1, 'pypi', 28, 10, 10).slice(0, 12) }
    expect(judge('fastapi', growth, short)).toMatchObject({ status: 'not measurable yet', reason: "only 12 days of fastapi's downloads stored, 56 needed" })
  })

  it('says Maven Central publishes no download counts', () => {
    expect(judge('spring-boot', growth, empty())).toMatchObject({ status: 'not measurable yet', reason: 'Maven Central publishes no download counts' })
  })

  it('says the first sync has not succeeded for a registry that counts', () => {
    expect(judge('fastapi', growth, empty()).reason).toMatch(/no downloads of fastapi stored yet from PyPI/)
  })
})

describe('downloads share and rank among peers', () => {
  const share: ClaimRule = { metric: 'downloads_share', source: 'registry', peers: 'registry', days: 28, comparison: 'at_least', threshold: 50 }
  const rank: ClaimRule = { metric: 'downloads_rank', source: 'registry', peers: 'all', days: 28, comparison: 'at_most', threshold: 1 }

  it('share: 50% is supported, 49.9% is not', () => {
    const half = { ...empty(), downloads: [...downloads(1, 'pypi', 28, 500, 0), ...downloads(2, 'pypi', 28, 500, 0)] }
    expect(judge('fastapi', share, half)).toMatchObject({ status: 'supported', measurement: { value: 50 } })
    const less = { ...empty(), downloads: [...downloads(1, 'pypi', 28, 499, 0), ...downloads(2, 'pypi', 28, 501, 0)] }
    expect(judge('fastapi', share, less).status).toBe('not supported')
  })

  it('rank: first is supported, second is not; frameworks without counts are named', () => {
    const first = { ...empty(), downloads: [...downloads(1, 'pypi', 28, 501, 0), ...downloads(2, 'pypi', 28, 500, 0)] }
    const v = judge('fastapi', rank, first)
    expect(v).toMatchObject({ status: 'supported', measurement: { value: 1 } })
    expect(v.reason).toMatch(/#1 of 2 .*no counts: spring-boot, laravel, aspnet-core/)
    const second = { ...empty(), downloads: [...downloads(1, 'pypi', 28, 499, 0), ...downloads(2, 'pypi', 28, 500, 0)] }
    expect(judge('fastapi', rank, second)).toMatchObject({ status: 'not supported', measurement: { value: 2 } })
  })

  it('is not measurable when no peer has counts', () => {
    const alone = { ...empty(), downloads: downloads(4, 'packagist', 28, 500, 0) }
    expect(judge('laravel', share, alone)).toMatchObject({ status: 'not measurable yet', reason: expect.stringMatching(/no other framework among the tracked frameworks on Packagist/) })
  })
})

describe('GitHub stars', () => {
  const stars = (id: number, value: number) => ({ framework_id: id, day: LAST, value, fetched_at: NOW })
  const given = (id: number, days: number, perDay: number): DownloadDay[] =>
    Array.from({ length: days }, (_, i) => ({ framework_id: id, source: 'github', day: addDays(LAST, -i), value: perDay }))
  const growthRule: ClaimRule = { metric: 'stars_growth', source: 'github', days: 90, comparison: 'at_least', threshold: 1 }

  it('growth: stars given in the window over the stars before it, 1% on each side', () => {
    // 90 stars given on a base of 9,000 = 1%.
    expect(judge('flask', growthRule, { ...empty(), stars: [stars(2, 9090)], starsGiven: given(2, 90, 1) })).toMatchObject({ status: 'supported', measurement: { value: 1 } })
    expect(judge('flask', growthRule, { ...empty(), stars: [stars(2, 9091)], starsGiven: given(2, 90, 0.99) }).status).toBe('not supported')
  })

  it('growth is not measurable without enough history', () => {
    expect(judge('flask', growthRule, { ...empty(), stars: [stars(2, 9000)], starsGiven: given(2, 30, 1) }).reason).toBe("only 30 days of flask's star history stored, 90 needed")
    expect(judge('flask', growthRule, empty()).reason).toMatch(/no GitHub star count of flask stored yet/)
  })

  it('rank among all: third is supported at ≤ 3, fourth is not', () => {
    const rule: ClaimRule = { metric: 'stars_rank', source: 'github', peers: 'all', comparison: 'at_most', threshold: 3 }
    const counts = (mine: number) => ({ ...empty(), stars: [stars(1, 400), stars(2, 300), stars(3, 200), stars(4, mine)] })
    expect(judge('laravel', rule, counts(201))).toMatchObject({ status: 'supported', measurement: { value: 3 } })
    expect(judge('laravel', rule, counts(199))).toMatchObject({ status: 'not supported', measurement: { value: 4 } })
  })
})

describe('release cadence', () => {
  const rule: ClaimRule = { metric: 'releases', source: 'any', days: 182, comparison: 'at_least', threshold: 6 }
  const releases = (n: number) => Array.from({ length: n }, (_, i) => ({ framework_id: 3, version: `3.5.${i}`, published_at: new Date(NOW.getTime() - (i + 1) * 20 * 86_400_000), fetched_at: NOW }))

  it('counts stable versions in the window: 6 is supported, 5 is not', () => {
    // 20, 40 … 180 days ago: 9 inside 182 days. Cut to 6 and 5.
    expect(judge('spring-boot', rule, { ...empty(), releases: releases(6) })).toMatchObject({ status: 'supported', measurement: { value: 6, fetched_at: NOW.toISOString() } })
    expect(judge('spring-boot', rule, { ...empty(), releases: releases(5) })).toMatchObject({ status: 'not supported', measurement: { value: 5 } })
    expect(judge('spring-boot', rule, empty()).status).toBe('not measurable yet')
  })
})

describe('benchmarks', () => {
  const entry = (framework_id: number, rps: number, rank: number, over: Partial<BenchmarkEntry> = {}): BenchmarkEntry => ({
    source: 'techempower', run_name: 'Round 23', run_date: new Date('2025-02-01T00:00:00Z'), imported_at: NOW, framework_id,
    test_type: 'fortune', variant: `v${framework_id}`, represents: true, concurrency: 512, requests_per_s: rps, rank, out_of: 400, ...over,
  })
  const top: ClaimRule = { metric: 'benchmark_top_pct', source: 'techempower', testType: 'fortune', comparison: 'at_most', threshold: 10 }

  it('top percent of the run: rank 40 of 400 is the top 10%, rank 41 is not', () => {
    const v = judge('aspnet-core', top, { ...empty(), benchmarks: [entry(5, 100_000, 40)] })
    expect(v).toMatchObject({ status: 'supported', measurement: { value: 10, source: 'TechEmpower Round 23 (2025-02-01)', chart: '/benchmarks#tfb-fortune' } })
    expect(judge('aspnet-core', top, { ...empty(), benchmarks: [entry(5, 100_000, 41)] }).status).toBe('not supported')
  })

  it('a non-representative variant does not count; no run or no result is explained', () => {
    expect(judge('aspnet-core', top, { ...empty(), benchmarks: [entry(5, 1, 1, { represents: false }), entry(1, 1, 1)] }).reason).toBe("aspnet-core has no fortune result in TechEmpower's Round 23")
    expect(judge('aspnet-core', top, empty()).reason).toBe('no TechEmpower run with tracked frameworks imported yet')
  })

  it('peer rank among the same language: fastest is supported, a tie shares the rank', () => {
    const rule: ClaimRule = { metric: 'benchmark_peer_rank', source: 'techempower', testType: 'fortune', peers: 'language', comparison: 'at_most', threshold: 1 }
    expect(judge('fastapi', rule, { ...empty(), benchmarks: [entry(1, 1000, 9), entry(2, 999, 10), entry(5, 9999, 1)] })).toMatchObject({ status: 'supported', measurement: { value: 1 } })
    expect(judge('fastapi', rule, { ...empty(), benchmarks: [entry(1, 1000, 9), entry(2, 1000, 9)] }).status).toBe('supported')
    expect(judge('fastapi', rule, { ...empty(), benchmarks: [entry(1, 999, 10), entry(2, 1000, 9)] })).toMatchObject({ status: 'not supported', measurement: { value: 2 } })
  })

  it('the-benchmarker: the level asked for', () => {
    const rule: ClaimRule = { metric: 'benchmark_top_pct', source: 'the-benchmarker', testType: 'hello-world', concurrency: 512, comparison: 'at_most', threshold: 25 }
    const bm = (concurrency: number, rank: number) => entry(5, 1000, rank, { source: 'the-benchmarker', run_name: 'develop', test_type: 'hello-world', concurrency, out_of: 100 })
    expect(judge('aspnet-core', rule, { ...empty(), benchmarks: [bm(64, 90), bm(512, 25)] }).status).toBe('supported')
    expect(judge('aspnet-core', rule, { ...empty(), benchmarks: [bm(64, 1), bm(512, 26)] }).status).toBe('not supported')
  })
})

describe('unmeasured claims', () => {
  it('an unmeasured rule is not measurable yet with its reason', () => {
    expect(judge('flask', { metric: 'unmeasured', reason: 'no signal' }, empty())).toMatchObject({ status: 'not measurable yet', reason: 'no signal', measurement: null })
  })
})
