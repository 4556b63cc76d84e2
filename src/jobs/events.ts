import type { EventInputs, ReleaseRef } from '../db/queries/events.js'
import type { NewEvent } from '../db/schema.js'
import type { EventKind } from '../event-kinds.js'
import { benchmarkEvents } from './events/benchmarks.js'
import { guideEvents } from './events/guide.js'
import { starEvents } from './events/milestones.js'
import { releaseEvents, withNotes } from './events/releases.js'
import { trendEvents } from './events/trends.js'

/**
 * Event derivation: pure functions from stored data to event rows (events-job.ts reads and
 * writes). Every event is dated when it happened, not when a sync saw it: a first sync over
 * 18 months of backfilled history yields items that sort into the past, and each feed carries
 * only its newest items, so subscribing never floods a reader with old news marked as new.
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
  /** Sanitized HTML; a release's notes are appended by toEventRow. */
  content_html: string
  url: string | null
  data: Record<string, unknown>
  /** The release whose notes belong in the content; notes are read for new events only. */
  notes?: ReleaseRef
}

export interface DeriveOptions {
  /** A download trend change is a 28-day mean this many percent above or below the prior 28 days. */
  trendThresholdPct: number
  /** Ids already stored: their drafts are dropped, as the store would ignore them anyway. */
  known: ReadonlySet<string>
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
  const seen = new Set(options.known)
  return drafts.filter((draft) => {
    if (seen.has(draft.id)) return false
    seen.add(draft.id)
    return true
  })
}

/** The row to store: release notes (trimmed) appended, data as JSON, stamped with when it was derived. */
export function toEventRow(draft: EventDraft, notesHtml: string | undefined, createdAt: Date): NewEvent {
  const { notes: _notes, data, ...row } = draft
  return {
    ...row,
    content_html: notesHtml ? withNotes(row.content_html, notesHtml, row.url) : row.content_html,
    data: JSON.stringify(data),
    created_at: createdAt,
  }
}
