import type { LatestRun } from '../../db/job-runs.js'
import type { Snapshot } from '../../db/queries/snapshots.js'
import type { EmptyReason } from '../empty-reason.js'
import { formatCompact, formatDay, formatNumber } from '../format.js'
import { EmptyWhy } from './empty-why.js'
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
export function RepoFigures({ repo, snapshots, run, reason, now }: { repo: string; snapshots: Snapshot[]; run: LatestRun | undefined; reason: EmptyReason; now: Date }) {
  const value = (metric: string) => snapshots.find((s) => s.metric === metric)
  const stars = value('stars')
  if (!stars) {
    return (
      <div class="figures">
        <p class="figure-missing">
          <EmptyWhy lead={`No GitHub figures for ${repo} yet`} name="GitHub" reason={reason} now={now} />
        </p>
      </div>
    )
  }
  const pushed = value('pushed_at')
  const pushedDay = pushed && formatDay(new Date(pushed.value * 1000))
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
        {repo} on <time datetime={stars.day}>{stars.day}</time>
        {pushedDay && (
          <>
            , last push <time datetime={pushedDay}>{pushedDay}</time>
          </>
        )}
        {value('archived')?.value === 1 && <span class="badge badge-failed">archived</span>}
      </p>
      <SourceNote source={`GitHub REST API (${repo})`} fetchedAt={stars.fetched_at} />
      <RunError source="github" run={run} />
    </div>
  )
}
