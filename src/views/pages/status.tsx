import type { LatestRun } from '../../db/job-runs.js'
import type { RateLimitState } from '../../db/queries/sync-state.js'
import type { AssetUrls } from '../assets.js'
import { EmptyState } from '../components/empty-state.js'
import { LiveRegion, UpdatedLine } from '../components/live-region.js'
import { newest } from '../../newest.js'
import { Timestamp } from '../components/source-note.js'
import { rateLimitedUntil } from '../empty-reason.js'
import { formatNumber } from '../format.js'
import { Layout } from '../layout.js'
import { signalName, sourceName } from '../../source-names.js'

export interface StatusProps {
  runs: LatestRun[]
  budgets: RateLimitState[]
  dbKind: 'postgres' | 'pglite'
  assets: AssetUrls
  /** Present when ADMIN_TOKEN is set: the sync form, and what it just started. */
  admin?: { jobs: string[]; started: string | undefined } | undefined
}

export function StatusPage({ runs, budgets, dbKind, assets, admin }: StatusProps) {
  return (
    <Layout title="Status" assets={assets}>
      <h1>Sync status</h1>
      <p>Database: {dbKind === 'pglite' ? 'embedded PGlite (DATABASE_URL is not set)' : 'PostgreSQL (DATABASE_URL)'}.</p>
      {admin && <SyncForm jobs={admin.jobs} started={admin.started} />}
      <LiveRegion id="live-status" src="/live/status">
        <StatusRuns runs={runs} budgets={budgets} />
      </LiveRegion>
    </Layout>
  )
}

/** The runs, their errors and the rate-limit budgets: in the page, and alone as its live fragment. */
export function StatusRuns({ runs, budgets }: Pick<StatusProps, 'runs' | 'budgets'>) {
  const failed = runs.filter((r) => r.status === 'failed').length
  const waiting = runs.filter((r) => r.status === 'waiting').length
  return (
    <>
      {runs.length > 0 && (
        <>
          <UpdatedLine label="Last job activity" at={newest(runs.flatMap((r) => [r.started_at, r.finished_at]))} />
          <p>
            {failed === 0 ? (waiting === 0 ? 'Every last run succeeded.' : 'No last run failed.') : `${failed} of ${runs.length} last runs failed.`}
            {waiting > 0 && ` ${waiting} waiting for a rate limit (nothing asked, not a failure).`}
          </p>
          <WaitingLines runs={runs} />
        </>
      )}
      {budgets.map((b) => (
        <p class="budget">
          {sourceName(b.source)} rate limit: <strong>{formatNumber(b.remaining)}</strong> of {formatNumber(b.limit)} requests left, resetting at{' '}
          <Timestamp at={b.resetAt} /> (reported <Timestamp at={b.seenAt} />
          ).
        </p>
      ))}
      {runs.length === 0 ? (
        <EmptyState title="No sync has run yet">Jobs run at start-up when data is stale, then on their schedules; `npm run sync` runs them once.</EmptyState>
      ) : (
        <div class="table-scroll">
          <table class="status-table">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Framework</th>
                <th scope="col">Signal</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Status</th>
                <th scope="col">Last success</th>
                <th scope="col" class="num">Rows written</th>
                <th scope="col" class="num">304s</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr class={`run-${run.status}`}>
                  <td data-label="Source">{DERIVED[run.source] ?? sourceName(run.source)}</td>
                  <td data-label="Framework">{run.framework_slug ? <a href={`/frameworks/${run.framework_slug}`}>{run.framework_slug}</a> : 'all'}</td>
                  <td data-label="Signal">{run.signal ? signalName(run.signal) : 'all'}</td>
                  <td data-label="Last attempt">
                    <Timestamp at={run.started_at} />
                  </td>
                  <td data-label="Status">
                    <span class={`badge badge-${run.status}`}>{run.status}</span>
                  </td>
                  <td data-label="Last success">{run.last_success_at ? <Timestamp at={run.last_success_at} /> : 'never'}</td>
                  <td data-label="Rows written" class="num">{formatNumber(run.rows_written)}</td>
                  <td data-label="304s" class="num">{formatNumber(run.not_modified)}</td>
                  <td data-label="Error" class="error-cell">{run.error && <code>{run.error}</code>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

/**
 * "GitHub: 10 waiting for GitHub's rate limit until <time>": per source, the latest reset its
 * waiting runs name (job_runs keeps the WaitingError's message, views/empty-reason.ts).
 */
function WaitingLines({ runs }: { runs: LatestRun[] }) {
  const until = new Map<string, { count: number; until: Date }>()
  for (const run of runs) {
    const at = run.status === 'waiting' ? rateLimitedUntil(run.error) : null
    if (!at) continue
    const seen = until.get(run.source)
    until.set(run.source, { count: (seen?.count ?? 0) + 1, until: seen && seen.until > at ? seen.until : at })
  }
  return (
    <>
      {[...until].map(([source, w]) => (
        <p class="budget">
          {sourceName(source)}: {w.count} waiting for {sourceName(source)}'s rate limit until <Timestamp at={w.until} />.
        </p>
      ))}
    </>
  )
}

// Steps after each job, listed beside the sources: what they derive from stored data, no upstream.
const DERIVED: Record<string, string> = { events: 'feed events (derived)', verdicts: 'claim verdicts (derived)' }

/** Starts jobs now (POST /admin/sync); works without JavaScript and needs ADMIN_TOKEN. */
function SyncForm({ jobs, started }: { jobs: string[]; started: string | undefined }) {
  return (
    <form class="sync-form" method="post" action="/admin/sync">
      {started && (
        <p role="status" class="notice">
          {started === 'none' ? 'Every selected job was already running.' : `Started: ${started.split(',').join(', ')}. The table below follows their progress.`}
        </p>
      )}
      <label>
        Source{' '}
        <select name="source">
          <option value="">all</option>
          {jobs.map((job) => (
            <option value={job}>{job}</option>
          ))}
        </select>
      </label>{' '}
      <label>
        Admin token <input type="password" name="token" required autocomplete="current-password" />
      </label>{' '}
      <button type="submit">Sync now</button>
    </form>
  )
}
