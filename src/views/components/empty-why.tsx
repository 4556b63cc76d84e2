import type { SignalName } from '../../db/schema.js'
import { briefError, failedLead, reasonText, type EmptyReason } from '../empty-reason.js'
import { Timestamp } from './source-note.js'

export interface EmptyWhyProps {
  /** What is missing: "Nothing stored from PyPI yet", "No GitHub figures for pallets/flask yet". */
  lead: string
  /** The source as readers know it (sourceName): "PyPI". */
  name: string
  reason: EmptyReason
  now: Date
}

/**
 * Why nothing is shown, from the stored runs and rate limits (views/empty-reason.ts): "Nothing
 * stored from GitHub yet: first sync running (started 3 min ago)." The start time is an absolute
 * <time> the client script turns into "n min ago", so the page and its live fragment stay the
 * same bytes however old the rendering is.
 */
export function EmptyWhy({ lead, name, reason, now }: EmptyWhyProps) {
  if (reason.kind === 'failed') {
    return (
      <>
        {lead}. <RunFailure name={name} error={reason.error} interrupted={reason.interrupted} signal={reason.signal} />.
      </>
    )
  }
  if (reason.kind === 'running') {
    return (
      <>
        {lead}: {reason.first ? 'first sync' : 'sync'} running (started <Timestamp at={reason.startedAt} />).
      </>
    )
  }
  return (
    <>
      {lead}: {reasonText(name, reason, now)}.
    </>
  )
}

/**
 * "Last PyPI downloads sync failed: could not reach pypistats.org (ENOTFOUND) (see status)":
 * beside figures it failed to refresh, or instead of them; `signal` names what that run collected.
 */
export function RunFailure({ name, error, interrupted = false, signal }: { name: string; error: string; interrupted?: boolean; signal?: SignalName | null | undefined }) {
  const brief = briefError(error)
  return (
    <>
      {failedLead(name, { kind: 'failed', error, interrupted, ...(signal ? { signal } : {}) })}: {brief === error ? <code>{error}</code> : <span title={error}>{brief}</span>} (see <a href="/status">status</a>)
    </>
  )
}
