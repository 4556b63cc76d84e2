import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { CatalogEntry } from './catalog.js'

const comparison = z.enum(['at_least', 'at_most'])
const days = z.number().int().min(7).max(365)
/** Whom a framework is ranked against: all tracked, the same catalog language, or the same registry. */
const peers = z.enum(['all', 'language', 'registry'])
const benchmarkSource = z.enum(['techempower', 'the-benchmarker'])
const judged = { comparison, threshold: z.number() }

// One shape per metric, so a rule names exactly the fields its metric reads.
const ruleSchema = z.discriminatedUnion('metric', [
  /** Mean daily downloads over the last `days` vs the `days` before, in percent. */
  z.strictObject({ metric: z.literal('downloads_growth'), source: z.literal('registry'), days, ...judged }),
  /** Rank (1 = most) by mean daily downloads over the last `days` among its peers. */
  z.strictObject({ metric: z.literal('downloads_rank'), source: z.literal('registry'), peers, days, ...judged }),
  /** Percent of its peers' downloads over the last `days`. */
  z.strictObject({ metric: z.literal('downloads_share'), source: z.literal('registry'), peers, days, ...judged }),
  /** Stars given over the last `days`, in percent of the stars it had before them. */
  z.strictObject({ metric: z.literal('stars_growth'), source: z.literal('github'), days, ...judged }),
  /** Rank (1 = most) by current GitHub stars among its peers. */
  z.strictObject({ metric: z.literal('stars_rank'), source: z.literal('github'), peers, ...judged }),
  /** Stable releases published in the last `days` (registries and GitHub, one per version). */
  z.strictObject({ metric: z.literal('releases'), source: z.literal('any'), days, ...judged }),
  /** Its rank in the newest run as a percent of all implementations ranked (10 = top tenth). */
  z.strictObject({
    metric: z.literal('benchmark_top_pct'),
    source: benchmarkSource,
    testType: z.string().min(1),
    concurrency: z.number().int().positive().optional(),
    ...judged,
  }),
  /** Its rank by requests/s among its peers' representative variants in the newest run. */
  z.strictObject({
    metric: z.literal('benchmark_peer_rank'),
    source: benchmarkSource,
    testType: z.string().min(1),
    concurrency: z.number().int().positive().optional(),
    peers,
    ...judged,
  }),
  /** No signal can check it: always "not measurable yet", with the reason shown. */
  z.strictObject({ metric: z.literal('unmeasured'), reason: z.string().min(1) }),
])

const claimSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
  framework: z.string().min(1),
  /** The few words that locate the claim in the guide section; never more of the guide's text. */
  quote: z.string().trim().min(3).max(60),
  /** Why this rule stands for the claim, shown beside the verdict. */
  why: z.string().min(1),
  rule: ruleSchema,
})

const fileSchema = z.object({ $comment: z.string().optional(), claims: z.array(claimSchema) })

export type Claim = z.infer<typeof claimSchema>
export type ClaimRule = Claim['rule']
export type MeasuredRule = Exclude<ClaimRule, { metric: 'unmeasured' }>

export class ClaimsError extends Error {
  override name = 'ClaimsError'
}

export const DEFAULT_CLAIMS_FILE = new URL('./claims.json', import.meta.url).pathname

/** Reads and validates the claims; any problem is one ClaimsError naming the file, entry and field. */
export function loadClaims(catalog: CatalogEntry[], file = DEFAULT_CLAIMS_FILE): Claim[] {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new ClaimsError(`claims ${file}: ${(cause as Error).message}`, { cause })
  }
  const parsed = fileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ClaimsError(`claims ${file}: ${describePath(json, issue.path)}: ${issue.message}`)
  }
  checkReferences(parsed.data.claims, catalog, file)
  return parsed.data.claims
}

// Ids are the verdicts' and events' keys; a framework must be in the catalog to have a page.
function checkReferences(claims: Claim[], catalog: CatalogEntry[], file: string): void {
  const slugs = new Set(catalog.map((c) => c.slug))
  const seen = new Set<string>()
  claims.forEach((claim, i) => {
    const where = `claims[${i}] (${claim.id})`
    if (seen.has(claim.id)) throw new ClaimsError(`claims ${file}: ${where}.id: duplicate id "${claim.id}"`)
    seen.add(claim.id)
    if (!slugs.has(claim.framework)) {
      throw new ClaimsError(`claims ${file}: ${where}.framework: "${claim.framework}" is not in the catalog`)
    }
  })
}

// "claims[3] (fastapi-explosive-growth).rule.days" reads better than a bare index.
function describePath(json: unknown, path: PropertyKey[]): string {
  const [root, index, ...rest] = path
  if (root !== 'claims' || typeof index !== 'number') return path.join('.') || '(top level)'
  const entry = (json as { claims: Array<{ id?: unknown }> }).claims[index]
  const id = typeof entry?.id === 'string' ? ` (${entry.id})` : ''
  return [`claims[${index}]${id}`, ...rest].join('.')
}
