import type { LatestRun } from '../../db/job-runs.js'
import type { PeriodSummary } from '../../db/queries/series.js'
import type { Snapshot } from '../../db/queries/snapshots.js'
import { addDays } from '../../days.js'
import type { EmptyReason } from '../empty-reason.js'
import { formatCompact, formatNumber, formatPercent } from '../format.js'
import { sourceName } from '../../source-names.js'
import { EmptyWhy } from './empty-why.js'
import { RunError } from './run-error.js'
import { SourceNote } from './source-note.js'

export interface DownloadFiguresProps {
  source: string
  summaries: PeriodSummary[]
  /** Registries that publish a running total (RubyGems, NuGet, Hex): its newest value. */
  totals: Snapshot[]
  /** The registry's own counts of its last 7 and 90 days (Hex: downloads.week, downloads.recent). */
  stated: Snapshot[]
  run: LatestRun | undefined
  /** Why there are no figures, when there are none (views/empty-reason.ts). */
  reason: EmptyReason
  now: Date
}

/** Weekly downloads per package with the change against the week before, or why there are none. */
export function DownloadFigures({ summaries, totals, stated, run, source, reason, now }: DownloadFiguresProps) {
  const name = sourceName(source)
  const weeks = stated.filter((w) => w.metric === 'downloads_last_7d')
  // The registry's week stands in for the sum of stored days unless those reach past it.
  const statedFor = (s: PeriodSummary) => weeks.find((w) => w.subject === s.subject && addDays(w.day, -1) >= s.as_of)
  const computed = summaries.filter((s) => !statedFor(s))
  const empty = computed.length === 0 && weeks.length === 0
  return (
    <div class="figures">
      {weeks
        .filter((w) => !computed.some((s) => s.subject === w.subject))
        .map((w) => (
          <StatedWeek week={w} name={name} summary={summaries.find((s) => s.subject === w.subject)} />
        ))}
      {computed.map((s) => (
        <div class="figure">
          <span class="figure-label">
            Downloads, {s.days_7 < 7 ? `the only ${s.days_7 === 1 ? 'day' : `${s.days_7} days`} stored` : 'last 7 days'} · {s.subject} ({sourceName(s.source)})
          </span>
          <span class="figure-value" title={formatNumber(s.last_7)}>
            {formatCompact(s.last_7)}
          </span>
          <Change summary={s} />
          <span class="figure-asof">
            to <time datetime={s.as_of}>{s.as_of}</time>
          </span>
          <SourceNote source={`${name} downloads API`} fetchedAt={s.fetched_at} />
        </div>
      ))}
      {stated
        .filter((r) => r.metric === 'downloads_last_90d')
        .map((r) => (
          <div class="figure-total">
            <span class="figure-asof">
              Downloads of {r.subject} in the last 90 days as {name} states them: {formatNumber(r.value)} on <time datetime={r.day}>{r.day}</time>
            </span>
            <SourceNote source={`${name} API`} fetchedAt={r.fetched_at} />
          </div>
        ))}
      {totals.map((t) => (
        <div class="figure-total">
          <span class="figure-asof">
            All-time downloads of {t.subject}: {formatNumber(t.value)} on <time datetime={t.day}>{t.day}</time>
          </span>
          <SourceNote source={`${name} API`} fetchedAt={t.fetched_at} />
        </div>
      ))}
      {empty && (
        <p class="figure-missing">
          {reason.kind === 'stored-none' && totals.length > 0 ? (
            `No ${name} download figures yet: daily counts start once two consecutive daily totals are stored.`
          ) : (
            <EmptyWhy lead={`No ${name} download figures yet`} name={name} reason={reason} now={now} />
          )}
        </p>
      )}
      {/* An empty state names the failure itself. */}
      {!(empty && reason.kind === 'failed') && <RunError source={source} run={run} />}
    </div>
  )
}

/**
 * The registry's own count of the last 7 days, dated by the day it was fetched. The change beside
 * it comes from the stored daily counts, and only when they end on the day before the fetch: the
 * same seven days, so the two weeks compared are both whole and both the registry's.
 */
function StatedWeek({ week, name, summary }: { week: Snapshot; name: string; summary: PeriodSummary | undefined }) {
  const sameWeek = summary !== undefined && summary.as_of === addDays(week.day, -1)
  return (
    <div class="figure">
      <span class="figure-label">
        Downloads, last 7 days as {name} states them · {week.subject} ({name})
      </span>
      <span class="figure-value" title={formatNumber(week.value)}>
        {formatCompact(week.value)}
      </span>
      {sameWeek ? <Change summary={summary} /> : <span class="change change-none">no prior week to compare</span>}
      <span class="figure-asof">
        {name}'s own count of the 7 days before <time datetime={week.day}>{week.day}</time>
      </span>
      <SourceNote source={`${name} API`} fetchedAt={week.fetched_at} />
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
