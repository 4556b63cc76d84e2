import type { Db } from '../database.js'
import { latestRuns, type LatestRun } from '../job-runs.js'
import { frameworkBySlug, listFrameworks, sourceIdentities, type FrameworkWithGuide, type SourceIdentity } from './frameworks.js'
import { weeklySummaries, type PeriodSummary } from './series.js'

export interface FrameworkOverview {
  framework: FrameworkWithGuide
  downloads: PeriodSummary[]
  identities: SourceIdentity[]
  /** The latest run per source for this framework: failures show beside the figures. */
  runs: LatestRun[]
}

/** Everything the overview shows, in four queries however many frameworks there are. */
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
  const [summaries, identities, runs] = await Promise.all([
    weeklySummaries(db, 'downloads'),
    sourceIdentities(db),
    latestRuns(db),
  ])
  return { summaries, identities, runs }
}

function assemble(framework: FrameworkWithGuide, parts: Awaited<ReturnType<typeof signalParts>>): FrameworkOverview {
  return {
    framework,
    downloads: parts.summaries.filter((s) => s.framework_id === framework.id),
    identities: parts.identities.get(framework.id) ?? [],
    runs: parts.runs.filter((r) => r.framework_id === framework.id),
  }
}
