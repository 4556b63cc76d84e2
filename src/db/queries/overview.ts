import type { Db } from '../database.js'
import { latestRuns, type LatestRun } from '../job-runs.js'
import { claimTallies, type ClaimTally } from './claim-verdicts.js'
import { frameworkBySlug, listFrameworks, sourceIdentities, type FrameworkWithGuide, type SourceIdentity } from './frameworks.js'
import { weeklySummaries, type PeriodSummary } from './series.js'
import { releaseFacts, type ReleaseFacts } from './releases.js'
import { latestSnapshots, type Snapshot } from './snapshots.js'
import { rateLimits, type RateLimitState } from './sync-state.js'

const SNAPSHOT_METRICS = ['stars', 'forks', 'open_issues', 'watchers', 'pushed_at', 'archived', 'downloads_total'] as const

export interface FrameworkOverview {
  framework: FrameworkWithGuide
  downloads: PeriodSummary[]
  /** Newest level values: GitHub stars, forks, …, registries' total downloads. */
  snapshots: Snapshot[]
  releases: ReleaseFacts[]
  identities: SourceIdentity[]
  /** The latest run per source for this framework: failures show beside the figures. */
  runs: LatestRun[]
  /** Its claims in the guide (src/catalog/claims.json): how many the data supports. */
  claims: ClaimTally
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
    claimTallies(db),
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
    claims: parts.claims.get(framework.id) ?? { supported: 0, total: 0 },
    rateLimits: parts.budgets,
  }
}
