import type { LatestRun } from '../../db/job-runs.js'
import { sourceName } from '../../source-names.js'
import { RunFailure } from './empty-why.js'

/** The last run's error beside the figures it failed to refresh. */
export function RunError({ source, run }: { source: string; run: LatestRun | undefined }) {
  if (run?.status !== 'failed') return null
  return (
    <p class="run-error" role="status">
      <RunFailure name={sourceName(source)} error={run.error ?? 'no error was recorded'} signal={run.signal} />
    </p>
  )
}
