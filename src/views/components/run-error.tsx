import type { LatestRun } from '../../db/job-runs.js'

/** The last run's error beside the figures it failed to refresh. */
export function RunError({ source, run }: { source: string; run: LatestRun | undefined }) {
  if (run?.status !== 'failed') return null
  return (
    <p class="run-error" role="status">
      Last {source} sync failed: <code>{run.error}</code> — <a href="/status">status</a>
    </p>
  )
}
