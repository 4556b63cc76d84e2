import type { EventInputs } from '../db/queries/events.js'
import type { NewEvent } from '../db/schema.js'
import type { EventKind } from '../event-kinds.js'
import { benchmarkEvents } from './events/benchmarks.js'
import { guideEvents } from './events/guide.js'
import { starEvents } from './events/milestones.js'
import { RELEASE_KINDS, releaseEvents } from './events/releases.js'
import { trendEvents } from './events/trends.js'

/**
 * Event derivation: pure functions from stored data to event rows (events-job.ts reads and
 * writes). Every event is dated when it happened, not when a sync saw it: a first sync over
 * 18 months of backfilled history yields items that sort into the past, and each feed carries
 * only its newest items, so subscribing never floods a reader with old news marked as new.
 * Most events are written once; a release event's content follows its version's stored data
 * (releases.ts) and is rewritten when that changes, its id and date never.
 */
export interface EventDraft {
  /** Stable: the same stored facts always give the same id. */
  id: string
  framework_id: number | null
  kind: EventKind
  occurred_at: Date
  /** Plain text, one line. */
  title: string
  /** Plain text, one or two sentences. */
  summary: string
  /** Sanitized HTML. */
  content_html: string
  url: string | null
  data: Record<string, unknown>
}

export interface DeriveOptions {
  /** A download trend change is a 28-day mean this many percent above or below the prior 28 days. */
  trendThresholdPct: number
  /** Ids already stored: their drafts are dropped (the store would ignore them), releases' aside. */
  known: ReadonlySet<string>
}

/** Whether a stored event's content follows the data it was derived from (upsertEvents). */
export function followsData(event: { kind: EventKind }): boolean {
  return (RELEASE_KINDS as readonly EventKind[]).includes(event.kind)
}

export function deriveEvents(inputs: EventInputs, options: DeriveOptions): EventDraft[] {
  const frameworks = new Map(inputs.frameworks.map((f) => [f.id, f]))
  const drafts = [
    ...releaseEvents(frameworks, inputs.releases),
    ...starEvents(frameworks, inputs.stars),
    ...trendEvents(frameworks, inputs.downloads, options.trendThresholdPct),
    ...guideEvents(inputs.guide),
    ...benchmarkEvents(frameworks, inputs.benchmarkRuns, inputs.benchmarkResults),
  ]
  // Two stored rows can stand for one event (a guide revision seen under two URLs): first wins.
  const seen = new Set<string>()
  return drafts.filter((draft) => {
    if (seen.has(draft.id) || (options.known.has(draft.id) && !followsData(draft))) return false
    seen.add(draft.id)
    return true
  })
}

/** The row to store: data as JSON, stamped with when it was derived. */
export function toEventRow(draft: EventDraft, createdAt: Date): NewEvent {
  return { ...draft, data: JSON.stringify(draft.data), created_at: createdAt }
}
