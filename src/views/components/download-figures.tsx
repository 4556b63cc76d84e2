import type { LatestRun } from '../../db/job-runs.js'
import type { PeriodSummary } from '../../db/queries/series.js'
import type { Snapshot } from '../../db/queries/snapshots.js'
import { formatCompact, formatNumber, formatPercent } from '../format.js'
import { sourceName } from '../signals.js'
import { RunError } from './run-error.js'
import { SourceNote } from './source-note.js'

export interface DownloadFiguresProps {
  source: string
  summaries: PeriodSummary[]
  /** Registries that publish a running total (RubyGems, NuGet, Hex): its newest value. */
  totals: Snapshot[]
  run: LatestRun | undefined
}

/** Weekly downloads per package with the change against the week before, or why there are none. */
export function DownloadFigures({ summaries, totals, run, source }: DownloadFiguresProps) {
  const failed = run?.status === 'failed' ? run : undefined
  const name = sourceName(source)
  return (
    <div class="figures">
      {summaries.map((s) => (
        <div class="figure">
          <span class="figure-label">
            Downloads, {s.days_7 < 7 ? `the only ${s.days_7 === 1 ? 'day' : `${s.days_7} days`} stored` : 'last 7 days'} · {s.subject} ({sourceName(s.source)})
          </span>
          <span class="figure-value" title={formatNumber(s.last_7)}>
            {formatCompact(s.last_7)}
          </span>
          <Change summary={s} />
          <span class="figure-asof">to {s.as_of}</span>
          <SourceNote source={`${name} downloads API`} fetchedAt={s.fetched_at} />
        </div>
      ))}
      {totals.map((t) => (
        <div class="figure-total">
          <span class="figure-asof">
            All-time downloads of {t.subject}: {formatNumber(t.value)} on {t.day}
          </span>
          <SourceNote source={`${name} API`} fetchedAt={t.fetched_at} />
        </div>
      ))}
      {summaries.length === 0 && (
        <p class="figure-missing">
          No {name} download figures yet:{' '}
          {failed ? 'the last sync failed (see below).' : totals.length > 0 ? 'daily counts start once two consecutive daily totals are stored.' : run ? 'the last sync stored none.' : 'not synced yet.'}
        </p>
      )}
      <RunError source={name} run={run} />
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
