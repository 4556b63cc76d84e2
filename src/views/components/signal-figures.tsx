import type { FrameworkOverview } from '../../db/queries/overview.js'
import { reasonFor, runOf } from '../empty-reason.js'
import type { Signal } from '../signals.js'
import { DownloadFigures } from './download-figures.js'
import { RepoFigures } from './repo-figures.js'
import { RunError } from './run-error.js'

/**
 * The figures one collected source has for a framework, each with its source and fetch time, and
 * beside them the latest run of the signal they come from (GitHub's snapshot, Maven Central's
 * releases, a registry's downloads): a failure of another endpoint is said where its data shows.
 */
export function SignalFigures({ signal, entry, now }: { signal: Signal; entry: FrameworkOverview; now: Date }) {
  const shown = signal.source === 'github' ? 'snapshot' : signal.source === 'maven' ? 'releases' : 'downloads'
  const run = runOf(entry.runs, signal.source, shown)
  const snapshots = entry.snapshots.filter((s) => s.source === signal.source)
  const reason = reasonFor(entry, signal.source, shown, now)
  if (signal.source === 'github') return <RepoFigures repo={signal.identities.join(', ')} snapshots={snapshots} run={run} reason={reason} now={now} />
  if (signal.source === 'maven') {
    return (
      <div class="figures">
        <p class="figure-missing">Maven Central publishes no download counts, so none are shown; its releases count towards the cadence.</p>
        <RunError source="maven" run={run} />
      </div>
    )
  }
  return (
    <DownloadFigures
      source={signal.source}
      summaries={entry.downloads.filter((d) => d.source === signal.source)}
      totals={snapshots.filter((s) => s.metric === 'downloads_total')}
      stated={snapshots.filter((s) => s.metric === 'downloads_last_7d' || s.metric === 'downloads_last_90d')}
      run={run}
      reason={reason}
      now={now}
    />
  )
}
