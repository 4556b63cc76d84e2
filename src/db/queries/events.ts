import type { EventKind } from '../../event-kinds.js'
import type { Db } from '../database.js'
import type { BenchmarkSource, EventRow } from '../schema.js'

export interface FrameworkName {
  id: number
  slug: string
  name: string
}

/** A stored release: a release event's content follows its version's rows (releases.ts). */
export interface ReleaseFact {
  framework_id: number
  source: string
  subject: string
  version: string
  published_at: Date
  prerelease: boolean
  url: string | null
  title: string | null
  /** Sanitized at ingestion (github-markdown.ts). */
  notes_html: string | null
}

export interface DailyValue {
  framework_id: number
  source: string
  subject: string
  day: string
  value: number
}

export interface GuideRevision {
  post_modified_at: Date
  post_url: string
  post_title: string
}

/** An imported benchmark run: what names and dates it. */
export interface BenchmarkRunFact {
  id: number
  source: BenchmarkSource
  run_key: string
  name: string
  started_at: Date | null
  completed_at: Date | null
  imported_at: Date
}

/** A tracked framework's representative result in one run: the figure its pages show. */
export interface BenchmarkRankFact {
  run_id: number
  framework_id: number
  test_type: string
  concurrency: number
  variant: string
  requests_per_s: number | null
  rank: number | null
  out_of: number | null
}

/** Everything event derivation reads, in seven queries however much is stored. */
export interface EventInputs {
  frameworks: FrameworkName[]
  releases: ReleaseFact[]
  stars: DailyValue[]
  downloads: DailyValue[]
  guide: GuideRevision[]
  benchmarkRuns: BenchmarkRunFact[]
  benchmarkResults: BenchmarkRankFact[]
}

/** One query after another: a failing one leaves none of the others running on a closing pool. */
export async function eventInputs(db: Db): Promise<EventInputs> {
  const frameworks = await db.selectFrom('frameworks').select(['id', 'slug', 'name']).orderBy('id').execute()
  const releases = await db
    .selectFrom('releases')
    .select(['framework_id', 'source', 'subject', 'version', 'published_at', 'prerelease', 'url', 'title', 'notes_html'])
    .orderBy('framework_id')
    .orderBy('published_at')
    .orderBy('source')
    .orderBy('subject')
    .orderBy('version')
    .execute()
  const stars = await dailyValues(db, 'stars')
  const downloads = await dailyValues(db, 'downloads')
  const guide = await db
    .selectFrom('guide_sections')
    .select(['post_modified_at', 'post_url', 'post_title'])
    .distinct()
    .orderBy('post_modified_at')
    .orderBy('post_url')
    .orderBy('post_title')
    .execute()
  const benchmarkRuns = await db
    .selectFrom('benchmark_runs')
    .select(['id', 'source', 'run_key', 'name', 'started_at', 'completed_at', 'imported_at'])
    .orderBy('id')
    .execute()
  const benchmarkResults = await benchmarkRanks(db)
  return { frameworks, releases, stars, downloads, guide, benchmarkRuns, benchmarkResults }
}

/**
 * Tracked frameworks' representative results, about ten per framework and run (TFB test types,
 * the-benchmarker levels); the rest of a run's rows only made the ranks.
 */
function benchmarkRanks(db: Db): Promise<BenchmarkRankFact[]> {
  return db
    .selectFrom('benchmark_results as r')
    .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
    .select(['r.run_id', 'f.id as framework_id', 'r.test_type', 'r.concurrency', 'r.variant'])
    .select(['r.requests_per_s', 'r.rank', 'r.out_of'])
    .where('f.tracked', '=', true)
    .where('r.represents', '=', true)
    .orderBy('r.run_id')
    .orderBy('f.id')
    .orderBy('r.test_type')
    .orderBy('r.concurrency')
    .orderBy('r.variant')
    .execute()
}

function dailyValues(db: Db, metric: string): Promise<DailyValue[]> {
  return db
    .selectFrom('observations')
    .select(['framework_id', 'source', 'subject', 'day', 'value'])
    .where('metric', '=', metric)
    .orderBy('framework_id')
    .orderBy('source')
    .orderBy('subject')
    .orderBy('day')
    .execute()
}

/** Ids already stored: derivation builds new events only, releases' aside (they follow their data). */
export async function knownEventIds(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('events').select('id').execute()
  return new Set(rows.map((r) => r.id))
}

export type FeedEvent = EventRow & { framework_slug: string | null }

export interface FeedQuery {
  /** One framework's events plus the global ones; null: every tracked framework's. */
  frameworkId: number | null
  kinds: readonly EventKind[]
  limit: number
}

/**
 * The newest events of a feed. The id breaks ties in the order, so the same rows always come
 * out in the same order and an unchanged feed stays byte-identical.
 *
 * ```sql
 * select e.*, f.slug as framework_slug from events e left join frameworks f on f.id = e.framework_id
 * where e.kind in ($1, …) and (e.framework_id = $n or e.framework_id is null)
 * order by e.occurred_at desc, e.id desc limit $m
 * ```
 */
export async function feedEvents(db: Db, q: FeedQuery): Promise<FeedEvent[]> {
  if (q.kinds.length === 0) return []
  const { frameworkId } = q
  return db
    .selectFrom('events as e')
    .leftJoin('frameworks as f', 'f.id', 'e.framework_id')
    .selectAll('e')
    .select('f.slug as framework_slug')
    .where('e.kind', 'in', q.kinds)
    .where((eb) =>
      eb.or([
        eb('e.framework_id', 'is', null),
        // Frameworks dropped from the catalog keep their events but leave the site feed.
        frameworkId === null ? eb('f.tracked', '=', true) : eb('e.framework_id', '=', frameworkId),
      ]),
    )
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(q.limit)
    .execute()
}

/**
 * What dates a feed (its <updated>, lastBuildDate and Last-Modified): the last time an event of
 * any kind in its scope (the framework's and the global ones, or every tracked framework's) was
 * derived or revised. Any kind, so a release reclassified as a prerelease, leaving a feed without
 * prereleases, moves that feed's date too: at times later than the feed's own items, never
 * earlier than its last change, so If-Modified-Since never misses one. With no events at all,
 * the stored guide's revision. Both change only when the data does, so a feed stays
 * byte-identical across syncs over unchanged data. Null when neither is stored.
 */
export async function feedDate(db: Db, frameworkId: number | null): Promise<Date | null> {
  const newest = await db
    .selectFrom('events as e')
    .leftJoin('frameworks as f', 'f.id', 'e.framework_id')
    .select((eb) => eb.fn.max(eb.fn.coalesce('e.revised_at', 'e.created_at')).as('at'))
    .where((eb) =>
      eb.or([
        eb('e.framework_id', 'is', null),
        frameworkId === null ? eb('f.tracked', '=', true) : eb('e.framework_id', '=', frameworkId),
      ]),
    )
    .executeTakeFirst()
  if (newest?.at) return new Date(newest.at)
  const guide = await db.selectFrom('guide_sections').select((eb) => eb.fn.max('post_modified_at').as('at')).executeTakeFirst()
  return guide?.at ? new Date(guide.at) : null
}
