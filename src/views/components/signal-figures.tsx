import type { FrameworkOverview } from '../../db/queries/overview.js'
import { reasonFor } from '../empty-reason.js'
import type { Signal } from '../signals.js'
import { DownloadFigures } from './download-figures.js'
import { RepoFigures } from './repo-figures.js'
import { RunError } from './run-error.js'

/** The figures one collected source has for a framework, each with its source and fetch time. */
export function SignalFigures({ signal, entry, now }: { signal: Signal; entry: FrameworkOverview; now: Date }) {
  const run = entry.runs.find((r) => r.source === signal.source)
  const snapshots = entry.snapshots.filter((s) => s.source === signal.source)
  const reason = reasonFor(entry, signal.source, now)
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
      run={run}
      reason={reason}
      now={now}
    />
  )
}
