import type { LatestRun } from '../../db/job-runs.js'
import type { Snapshot } from '../../db/queries/snapshots.js'
import { formatCompact, formatDay, formatNumber } from '../format.js'
import { RunError } from './run-error.js'
import { SourceNote } from './source-note.js'

const FIGURES = [
  ['stars', 'Stars'],
  ['forks', 'Forks'],
  // GitHub's open_issues_count counts open pull requests too (github.md).
  ['open_issues', 'Open issues + PRs'],
  ['watchers', 'Watchers'],
] as const

/** The repository's newest snapshot from GitHub, or why there is none. */
export function RepoFigures({ repo, snapshots, run }: { repo: string; snapshots: Snapshot[]; run: LatestRun | undefined }) {
  const value = (metric: string) => snapshots.find((s) => s.metric === metric)
  const stars = value('stars')
  if (!stars) {
    return (
      <div class="figures">
        <p class="figure-missing">No GitHub figures for {repo} yet: {run?.status === 'failed' ? 'the last sync failed (see below).' : run ? 'the last sync stored none.' : 'not synced yet.'}</p>
        <RunError source="github" run={run} />
      </div>
    )
  }
  const pushed = value('pushed_at')
  return (
    <div class="figures">
      <dl class="figure-row">
        {FIGURES.map(([metric, label]) => {
          const s = value(metric)
          return (
            s && (
              <div class="figure">
                <dt class="figure-label">{label}</dt>
                <dd class="figure-value" title={formatNumber(s.value)}>
                  {formatCompact(s.value)}
                </dd>
              </div>
            )
          )
        })}
      </dl>
      <p class="figure-asof">
        {repo} on {stars.day}
        {pushed && `, last push ${formatDay(new Date(pushed.value * 1000))}`}
        {value('archived')?.value === 1 && <span class="badge badge-failed">archived</span>}
      </p>
      <SourceNote source={`GitHub REST API (${repo})`} fetchedAt={stars.fetched_at} />
      <RunError source="github" run={run} />
    </div>
  )
}
