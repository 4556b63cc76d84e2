import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../src/catalog/catalog.js'
import { ClaimsError, loadClaims } from '../../src/catalog/claims.js'
import { paragraphOf } from '../../src/claims/quote.js'
import { GUIDE_SNAPSHOT_FILE } from '../../src/jobs/guide-job.js'
import { parseGuide, wpPostSchema } from '../../src/jobs/sources/guide.js'

const catalog = loadCatalog()

function claimsFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fp-claims-')), 'claims.json')
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

const valid = {
  id: 'fastapi-explosive-growth',
  framework: 'fastapi',
  quote: 'explosive growth',
  why: 'test',
  rule: { metric: 'downloads_growth', source: 'registry', days: 90, comparison: 'at_least', threshold: 25 },
}

describe('the claims file', () => {
  const claims = loadClaims(catalog)

  it('validates and covers all ten frameworks', () => {
    expect(new Set(claims.map((c) => c.framework))).toEqual(new Set(catalog.map((c) => c.slug)))
  })

  it('quotes only words found in the framework’s section of the bundled guide', () => {
    const post = wpPostSchema.parse(JSON.parse(readFileSync(GUIDE_SNAPSHOT_FILE, 'utf8')))
    const sections = new Map(parseGuide(post, catalog).sections.map((s) => [s.slug, s.paragraphs]))
    for (const claim of claims) {
      expect(paragraphOf(sections.get(claim.framework)!, claim.quote), `${claim.id}: “${claim.quote}”`).toBeGreaterThanOrEqual(0)
    }
  })

  it('includes the speed claims checked against benchmark results (issue 6)', () => {
    const speed = claims.filter((c) => c.rule.metric.startsWith('benchmark_')).map((c) => c.framework)
    expect(speed).toEqual(expect.arrayContaining(['aspnet-core', 'fastapi', 'phoenix']))
  })

  it('names the entry and field of a bad rule', () => {
    const file = claimsFile({ claims: [{ ...valid, rule: { ...valid.rule, days: 'ninety' } }] })
    expect(() => loadClaims(catalog, file)).toThrow(ClaimsError)
    expect(() => loadClaims(catalog, file)).toThrow(/claims\[0\] \(fastapi-explosive-growth\)\.rule\.days/)
  })

  it('rejects an unknown metric, an unknown framework and a duplicate id', () => {
    const unknownMetric = claimsFile({ claims: [{ ...valid, rule: { ...valid.rule, metric: 'vibes' } }] })
    expect(() => loadClaims(catalog, unknownMetric)).toThrow(/claims\[0\] \(fastapi-explosive-growth\)\.rule\.metric/)
    const unknownFramework = claimsFile({ claims: [{ ...valid, framework: 'hono' }] })
    expect(() => loadClaims(catalog, unknownFramework)).toThrow(/\.framework: "hono" is not in the catalog/)
    const duplicate = claimsFile({ claims: [valid, valid] })
    expect(() => loadClaims(catalog, duplicate)).toThrow(/claims\[1\].*duplicate id/)
  })

  it('says which file is not JSON', () => {
    expect(() => loadClaims(catalog, claimsFile('{'))).toThrow(/^claims .*claims\.json: /)
  })
})
