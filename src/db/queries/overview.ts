import type { Db } from '../database.js'
import { latestRuns, type LatestRun } from '../job-runs.js'
import { frameworkBySlug, listFrameworks, sourceIdentities, type FrameworkWithGuide, type SourceIdentity } from './frameworks.js'
import { weeklySummaries, type PeriodSummary } from './series.js'
import { releaseFacts, type ReleaseFacts } from './releases.js'
import { latestSnapshots, type Snapshot } from './snapshots.js'
import { rateLimits, type RateLimitState } from './sync-state.js'

const SNAPSHOT_METRICS = ['stars', 'forks', 'open_issues', 'watchers', 'pushed_at', 'archived', 'downloads_total', 'downloads_last_7d', 'downloads_last_90d'] as const

export interface FrameworkOverview {
  framework: FrameworkWithGuide
  downloads: PeriodSummary[]
  /** Newest level values: GitHub stars, forks, …, registries' total downloads. */
  snapshots: Snapshot[]
  releases: ReleaseFacts[]
  identities: SourceIdentity[]
  /** The latest run per source for this framework: failures show beside the figures. */
  runs: LatestRun[]
  /** Its claims in the guide (src/catalog/claims.json): how many the data supports, how many it cannot measure yet. */
  claims: ClaimCounts
  /** Each upstream's last reported rate-limit budget (shared by every framework): why a source waits. */
  rateLimits: RateLimitState[]
}

/** Everything the overview shows, in a fixed number of queries however many frameworks there are. */
export async function overview(db: Db): Promise<{ frameworks: FrameworkOverview[]; guideRun: LatestRun | undefined }> {
  const [frameworks, parts] = await Promise.all([listFrameworks(db), signalParts(db)])
  return {
    frameworks: frameworks.map((framework) => assemble(framework, parts)),
    guideRun: parts.runs.find((r) => r.job === 'guide'),
  }
}

/** One framework's overview entry, for its page; undefined for an unknown or untracked slug. */
export async function frameworkOverview(db: Db, slug: string): Promise<FrameworkOverview | undefined> {
  const framework = await frameworkBySlug(db, slug)
  return framework && assemble(framework, await signalParts(db))
}

async function signalParts(db: Db) {
  const [summaries, identities, runs, snapshots, releases, claims, budgets] = await Promise.all([
    weeklySummaries(db, 'downloads'),
    sourceIdentities(db),
    latestRuns(db),
    latestSnapshots(db, [...SNAPSHOT_METRICS]),
    releaseFacts(db),
    claimCounts(db),
    rateLimits(db),
  ])
  return { summaries, identities, runs, snapshots, releases, claims, budgets }
}

function assemble(framework: FrameworkWithGuide, parts: Awaited<ReturnType<typeof signalParts>>): FrameworkOverview {
  return {
    framework,
    downloads: parts.summaries.filter((s) => s.framework_id === framework.id),
    snapshots: parts.snapshots.filter((s) => s.framework_id === framework.id),
    releases: parts.releases.get(framework.id) ?? [],
    identities: parts.identities.get(framework.id) ?? [],
    runs: parts.runs.filter((r) => r.framework_id === framework.id),
    claims: parts.claims.get(framework.id) ?? { supported: 0, unmeasured: 0, total: 0 },
    rateLimits: parts.budgets,
  }
}

export interface ClaimCounts {
  supported: number
  /** Claims whose verdict is "not measurable yet": no verdict either way. */
  unmeasured: number
  total: number
}

/** Per framework id: how many of its claims are supported, not measurable yet, and in all. */
async function claimCounts(db: Db): Promise<Map<number, ClaimCounts>> {
  const rows = await db
    .selectFrom('claim_verdicts')
    .select('framework_id')
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .select((eb) => eb.fn.countAll<string>().filterWhere('status', '=', 'supported').as('supported'))
    .select((eb) => eb.fn.countAll<string>().filterWhere('status', '=', 'not measurable yet').as('unmeasured'))
    .groupBy('framework_id')
    .execute()
  return new Map(rows.map((r) => [r.framework_id, { supported: Number(r.supported), unmeasured: Number(r.unmeasured), total: Number(r.total) }]))
}
