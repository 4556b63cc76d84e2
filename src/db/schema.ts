import type { ColumnType, Generated, Insertable, RawBuilder, Selectable } from 'kysely'
import type { EventKind } from '../event-kinds.js'

// pg returns int8 (bigint, count) as strings; we select them as strings and convert at the edge.
type Timestamp = ColumnType<Date, Date | string, Date | string>
// `date` columns come back as strings (see types.setTypeParser in database.ts): days, not instants.
type Day = ColumnType<string, string, string>

export interface FrameworksTable {
  id: Generated<number>
  slug: string
  name: string
  language: string
  guide_heading: string
  position: number
  tracked: Generated<boolean>
}

export interface FrameworkSourcesTable {
  framework_id: number
  source: string
  identity: string
  note: string | null
}

export interface ObservationsTable {
  framework_id: number
  source: string
  subject: string
  metric: string
  day: Day
  value: number
  fetched_at: Timestamp
}

export interface ReleasesTable {
  framework_id: number
  source: string
  subject: string
  version: string
  published_at: Timestamp
  prerelease: boolean
  url: string | null
  title: string | null
  notes_html: string | null
  fetched_at: Timestamp
}

export interface GuideSectionsTable {
  framework_id: number
  rank: number
  heading: string
  paragraphs: ColumnType<string[], string, string>
  post_url: string
  post_title: string
  post_modified_at: Timestamp
  origin: 'snapshot' | 'live'
  fetched_at: Timestamp
}

// waiting: nothing asked, the upstream's rate limit is spent until a known reset (never a failure).
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'waiting'

/**
 * What one unit of a source's run collects for a framework, from its own endpoints, in its own
 * job_runs row and transaction (jobs/sources/source.ts): one failing never loses another.
 */
export type SignalName = 'downloads' | 'releases' | 'snapshot' | 'star_history' | 'tags'

export interface JobRunsTable {
  id: Generated<string>
  job: string
  source: string
  framework_id: number | null
  /** The signal a source's run collected; null for whole-job runs and rows from before signals. */
  signal: ColumnType<SignalName | null, SignalName | null | undefined, SignalName | null>
  started_at: Timestamp
  finished_at: Timestamp | null
  status: JobStatus
  rows_written: Generated<number>
  not_modified: Generated<number>
  error: string | null
}

export interface HttpCacheTable {
  url: string
  etag: string | null
  last_modified: string | null
  checked_at: Timestamp
}

export interface DataVersionTable {
  id: Generated<boolean>
  version: ColumnType<string, number | string, number | string>
  changed_at: Timestamp
}

export interface SourceStateTable {
  source: string
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: Timestamp
}

export type BenchmarkSource = 'techempower' | 'the-benchmarker'
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>
type Json<T> = ColumnType<T, string, string>

/** One imported benchmark run; (source, run_key) is unique, so a run is never imported twice. */
export interface BenchmarkRunsTable {
  id: Generated<number>
  source: BenchmarkSource
  run_key: string
  name: string
  uuid: string | null
  environment: string | null
  hardware: ColumnType<Record<string, unknown> | null, string | null, string | null>
  started_at: NullableTimestamp
  completed_at: NullableTimestamp
  commit: string | null
  url: string
  listed_as: string
  duration_s: number | null
  /** Load levels of the run per kind, e.g. { concurrency: [16, …, 512], queries: [1, …, 20] }. */
  levels: Json<Record<string, number[]>>
  sha256: string
  bytes: number
  imported_at: Timestamp
}

/** One implementation's result for one test type (TFB) or connection level (the-benchmarker). */
export interface BenchmarkResultsTable {
  id: Generated<string>
  run_id: number
  framework_id: number | null
  framework: string
  test_type: string
  variant: string
  metadata: Json<Record<string, unknown>>
  version: string | null
  represents: boolean
  requests_per_s: number | null
  concurrency: number
  queries: number | null
  latency_avg_ms: number | null
  latency_stdev_ms: number | null
  latency_max_ms: number | null
  latency_p50_ms: number | null
  latency_p75_ms: number | null
  latency_p90_ms: number | null
  latency_p99_ms: number | null
  latency_p99999_ms: number | null
  rank: number | null
  out_of: number | null
  raw: Json<Record<string, unknown>>
}

/**
 * Derived from stored data after each sync (jobs/events.ts). Inserted once; a release event's
 * content (kind, title, summary, content, link, data) follows its version's stored data, while its
 * id, occurred_at and created_at never change.
 */
export interface EventsTable {
  /** Stable across re-syncs, e.g. 'release:express:5.1.0', 'stars:express:expressjs/express:50000'. */
  id: string
  /** Null for events about no single framework (the guide was updated). */
  framework_id: number | null
  kind: EventKind
  occurred_at: Timestamp
  title: string
  summary: string
  content_html: string | null
  url: string | null
  data: ColumnType<Record<string, unknown>, string, string>
  created_at: Timestamp
  /** When a re-derivation last changed its content; null while it is as first stored. */
  revised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** The current verdict on each claim of src/catalog/claims.json (src/claims/verdict.ts). */
export interface ClaimVerdictsTable {
  claim_id: string
  framework_id: number
  quote: string
  why: string
  status: 'supported' | 'not supported' | 'not measurable yet'
  reason: string
  /** A Measurement (src/claims/measurement.ts); null when not measurable. */
  measurement: ColumnType<Record<string, unknown> | null, string | null, string | null>
  measured_status: 'supported' | 'not supported' | null
  changed_at: Timestamp
}

export interface JobTicksTable {
  job: string
  tick: Timestamp
  holder: string
  claimed_at: Timestamp
}

export interface JobLeasesTable {
  job: string
  holder: string
  expires_at: ColumnType<Date, Date | string | RawBuilder<Date>, Date | string | RawBuilder<Date>>
}

export interface Database {
  frameworks: FrameworksTable
  framework_sources: FrameworkSourcesTable
  observations: ObservationsTable
  releases: ReleasesTable
  guide_sections: GuideSectionsTable
  job_runs: JobRunsTable
  http_cache: HttpCacheTable
  data_version: DataVersionTable
  source_state: SourceStateTable
  job_ticks: JobTicksTable
  job_leases: JobLeasesTable
  benchmark_runs: BenchmarkRunsTable
  benchmark_results: BenchmarkResultsTable
  events: EventsTable
  claim_verdicts: ClaimVerdictsTable
}

export type FrameworkRow = Selectable<FrameworksTable>
export type NewObservation = Insertable<ObservationsTable>
export type NewRelease = Insertable<ReleasesTable>
export type ReleaseRow = Selectable<ReleasesTable>
export type GuideSectionRow = Selectable<GuideSectionsTable>
export type NewGuideSection = Insertable<GuideSectionsTable>
export type JobRunRow = Selectable<JobRunsTable>
export type BenchmarkRunRow = Selectable<BenchmarkRunsTable>
export type BenchmarkResultRow = Selectable<BenchmarkResultsTable>
export type NewBenchmarkRun = Insertable<BenchmarkRunsTable>
export type NewBenchmarkResult = Insertable<BenchmarkResultsTable>
export type EventRow = Selectable<EventsTable>
export type NewEvent = Insertable<EventsTable>
export type ClaimVerdictRow = Selectable<ClaimVerdictsTable>
export type NewClaimVerdict = Insertable<ClaimVerdictsTable>
