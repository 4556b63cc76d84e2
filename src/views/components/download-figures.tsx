import type { LatestRun } from '../../db/job-runs.js'
import type { PeriodSummary } from '../../db/queries/series.js'
import { formatCompact, formatNumber, formatPercent } from '../format.js'
import { SourceNote } from './source-note.js'

/** Weekly downloads per package with the change against the week before, or why there are none. */
export function DownloadFigures({ summaries, run, source }: { summaries: PeriodSummary[]; run: LatestRun | undefined; source: string }) {
  const failed = run?.status === 'failed' ? run : undefined
  return (
    <div class="figures">
      {summaries.map((s) => (
        <div class="figure">
          <span class="figure-label">
            Downloads, last 7 days · {s.subject} ({s.source})
          </span>
          <span class="figure-value" title={formatNumber(s.last_7)}>
            {formatCompact(s.last_7)}
          </span>
          <Change summary={s} />
          <span class="figure-asof">to {s.as_of}{s.days_7 < 7 ? ` (only ${s.days_7} days stored)` : ''}</span>
          <SourceNote source={`${source} downloads API`} fetchedAt={s.fetched_at} />
        </div>
      ))}
      {summaries.length === 0 && (
        <p class="figure-missing">
          No {source} download figures yet: {failed ? 'the last sync failed (see below).' : run ? 'the last sync stored none.' : 'not synced yet.'}
        </p>
      )}
      {failed && (
        <p class="run-error" role="status">
          Last {source} sync failed: <code>{failed.error}</code> — <a href="/status">status</a>
        </p>
      )}
    </div>
  )
}

function Change({ summary }: { summary: PeriodSummary }) {
  if (summary.prev_7 === null || summary.prev_7 === 0 || summary.days_7 < 7) {
    return <span class="change change-none">no prior week to compare</span>
  }
  const ratio = summary.last_7 / summary.prev_7 - 1
  const dir = ratio > 0.005 ? 'up' : ratio < -0.005 ? 'down' : 'flat'
  const arrow = { up: '▲', down: '▼', flat: '▶' }[dir]
  return (
    <span class={`change change-${dir}`}>
      <span aria-hidden="true">{arrow}</span> {formatPercent(ratio)} vs previous 7 days
    </span>
  )
}
