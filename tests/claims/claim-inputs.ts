import type { Claim, ClaimRule } from '../../src/catalog/claims.js'
import { verdict, type Verdict } from '../../src/claims/verdict.js'
import type { ClaimFramework, ClaimInputs, DownloadDay } from '../../src/db/queries/claim-inputs.js'
import { addDays } from '../../src/days.js'

// Inputs built by hand so each rule lands just on each side of its threshold.
export const NOW = new Date('2026-11-20T12:00:00Z')
export const LAST = '2026-11-19'
const fw = (id: number, slug: string, language: string, registries: string[]): ClaimFramework => ({ id, slug, name: slug, language, registries })
export const FRAMEWORKS = [
  fw(1, 'fastapi', 'Python', ['pypi']),
  fw(2, 'flask', 'Python', ['pypi']),
  fw(3, 'spring-boot', 'Java', ['maven']),
  fw(4, 'laravel', 'PHP', ['packagist']),
  fw(5, 'aspnet-core', 'C#', ['nuget']),
]
export const empty = (): ClaimInputs => ({ frameworks: FRAMEWORKS, downloads: [], fetched: new Map(), stars: [], starsGiven: [], releases: [], benchmarks: [] })

/** `days` days ending on LAST at `perDay`, preceded by `days` at `before`. */
export function downloads(id: number, source: string, days: number, perDay: number, before: number): DownloadDay[] {
  return Array.from({ length: 2 * days }, (_, i) => ({
    framework_id: id,
    source,
    day: addDays(LAST, -i),
    value: i < days ? perDay : before,
  }))
}

export const claim = (framework: string, rule: ClaimRule): Claim => ({ id: `${framework}-claim`, framework, quote: 'some words', why: 'test', rule })
export const judge = (framework: string, rule: ClaimRule, inputs: ClaimInputs): Verdict =>
  verdict(claim(framework, rule), FRAMEWORKS.find((f) => f.slug === framework)!, inputs, NOW)

export const growth: ClaimRule = { metric: 'downloads_growth', source: 'registry', days: 28, comparison: 'at_least', threshold: 25 }
